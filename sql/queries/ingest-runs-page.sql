-- Loads, newest first, one page at a time (home page and admin history).
SELECT
    run_id,
    entity,
    source_file,
    status,
    mode,
    rows_read,
    rows_new,
    rows_updated,
    rows_unchanged,
    rows_rejected,
    rows_deleted,
    triggered_by,
    error,
    toUnixTimestamp64Milli(started_at) AS started_ms,
    toUnixTimestamp64Milli(finished_at) AS finished_ms
FROM ingest_runs FINAL
ORDER BY started_at DESC, run_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
