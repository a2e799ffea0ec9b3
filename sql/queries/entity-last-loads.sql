-- When each core table last received a successful load. A run's `details.tables` names every table
-- it wrote (the flat order-line export writes orders and order_lines), so this is one pass over the
-- small ingest_runs table rather than one query per table.
SELECT
    tbl,
    max(toUnixTimestamp64Milli(finished_at)) AS last_ms
FROM ingest_runs FINAL
ARRAY JOIN JSONExtractKeys(details, 'tables') AS tbl
WHERE status = 'succeeded' AND finished_at IS NOT NULL
GROUP BY tbl
