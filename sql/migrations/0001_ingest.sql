-- ============================================================================
-- Ingest bookkeeping: one row per load (ingest_runs) and the rows it refused (ingest_rejects).
-- ============================================================================

-- A run's status moves running → committing → succeeded | failed; every transition writes a new
-- version of the row, so the current state is `FINAL` (or LIMIT 1 BY run_id).
-- ORDER BY run_id: runs are looked up by id (status, recovery) and listed newest first by the
-- admin page, which reads the whole (small) table.
-- tenure:shard-by cityHash64(run_id)
CREATE TABLE IF NOT EXISTS ingest_runs
(
    run_id          String,
    entity          LowCardinality(String),
    source_file     String,
    file_hash       String,
    file_bytes      UInt64,
    format          LowCardinality(String),
    mode            LowCardinality(String),
    mapping         String,
    status          LowCardinality(String),
    rows_read       UInt64,
    rows_new        UInt64,
    rows_updated    UInt64,
    rows_unchanged  UInt64,
    rows_rejected   UInt64,
    rows_deleted    UInt64,
    details         String,
    load_tables     Array(String),
    error           String,
    triggered_by    String,
    started_at      DateTime64(3, 'UTC'),
    finished_at     Nullable(DateTime64(3, 'UTC')),
    updated_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY run_id;

-- ORDER BY (run_id, row_number): the admin page and `tenure ingest --json` list one run's rejects
-- in file order.
-- tenure:shard-by cityHash64(run_id)
CREATE TABLE IF NOT EXISTS ingest_rejects
(
    run_id       String,
    entity       LowCardinality(String),
    source_file  String,
    row_number   UInt64,
    column       String,
    reason       String,
    raw          String
)
ENGINE = MergeTree
ORDER BY (run_id, row_number);
