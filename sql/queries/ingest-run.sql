-- One load with everything the details page shows.
SELECT
    run_id,
    entity,
    source_file,
    file_hash,
    file_bytes,
    format,
    mode,
    mapping,
    status,
    rows_read,
    rows_new,
    rows_updated,
    rows_unchanged,
    rows_rejected,
    rows_deleted,
    details,
    error,
    triggered_by,
    toUnixTimestamp64Milli(started_at) AS started_ms,
    toUnixTimestamp64Milli(finished_at) AS finished_ms
FROM ingest_runs FINAL
WHERE run_id = {run_id:String}
LIMIT 1
