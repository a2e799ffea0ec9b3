-- ============================================================================
-- Customer segments (issue #3; METRICS.md "Value"): RFM scores and segments, and lifecycle
-- stages, per account and refresh. Tiers are in account_snapshot (they are a filter column).
-- ============================================================================

-- One row per account of the refresh's account_snapshot, written by the refresh step "segments"
-- (analytics/segments/step.ts) after the health step, with the snapshot's name and filter columns
-- copied in so the portal's segment views are one scan of one table without a join.
-- RFM over the lookback (rfm_lookback_days) ending on as_of: recency_days = days since the last
-- counted order, frequency = counted orders, monetary = their revenue (reporting currency). Only
-- accounts with ≥ 1 counted order in the lookback are scored: for the others recency_days and
-- the scores are NULL, frequency and monetary 0 and rfm_segment ''. Scores 1..5 by the quintile
-- rule of analytics/segments/scoring.ts; fm_score = the mean of f and m, a half rounded up;
-- rfm_segment is the key of the (r_score, fm_score) cell of that module's grid.
-- stage: potential | growth | mature | decline | churned (analytics/segments/lifecycle-rule.ts);
-- health_band: the band of the same refresh's health_scores row, '' when the account has none.
-- ORDER BY (refresh_id, account_id): every read is one refresh; lists page by account id, and the
-- segment and stage summaries scan the refresh's rows whole.
-- PARTITION BY toYYYYMM(as_of): as account_snapshot; rows of replaced refreshes are deleted.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS account_segments
(
    refresh_id           String,
    as_of                Date,
    account_id           String,
    name                 String,
    segment              LowCardinality(String),
    region               LowCardinality(String),
    industry             LowCardinality(String),
    acquisition_channel  LowCardinality(String),
    owner_email          LowCardinality(String),
    team                 LowCardinality(String),
    tier                 LowCardinality(String),
    categories           Array(LowCardinality(String)),
    last_order           Nullable(Date),
    recency_days         Nullable(UInt32),
    frequency            UInt32,
    monetary             Decimal(18, 2),
    r_score              Nullable(UInt8),
    f_score              Nullable(UInt8),
    m_score              Nullable(UInt8),
    fm_score             Nullable(UInt8),
    rfm_segment          LowCardinality(String),
    stage                LowCardinality(String),
    first_order          Nullable(Date),
    first_activity       Nullable(Date),
    revenue_6m           Decimal(18, 2),
    revenue_prev_6m      Decimal(18, 2),
    health_band          LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(as_of)
ORDER BY (refresh_id, account_id);
