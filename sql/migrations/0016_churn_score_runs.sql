-- ============================================================================
-- Finished scoring runs (issue #5). `tenure score` writes a date's scores, then records its run
-- here, then deletes the date's older runs from churn_scores. Readers take the rows of the date's
-- latest recorded run (sql/fragments/churn-scores-current.sql): a run still being written is never
-- read, and no FINAL over every earlier scoring of the date is needed (at 1M accounts that FINAL
-- cost ~150 ms per read, twice in the worklist). Scores written before this table existed are
-- read again after the next `tenure score` of their date.
-- ============================================================================

-- One row per finished run: its as-of date, the scored_at its churn_scores rows carry, the model
-- and how many accounts it scored.
-- ORDER BY (as_of, scored_at): readers look up the latest run of one date.
-- tenure:shard-by cityHash64(toString(as_of))
CREATE TABLE IF NOT EXISTS churn_score_runs
(
    as_of          Date,
    scored_at      DateTime64(3, 'UTC'),
    model_version  String,
    accounts       UInt64,
    finished_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(finished_at)
ORDER BY (as_of, scored_at);
