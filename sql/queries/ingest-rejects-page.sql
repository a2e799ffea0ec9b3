-- One page of a load's rejects in file order (the table's sorting key).
SELECT row_number, column, reason, raw
FROM ingest_rejects
WHERE run_id = {run_id:String}
ORDER BY row_number, column
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
