-- ============================================================================
-- Tenant configuration and customer lifetime value (METRICS.md, "LTV"; issue #4).
-- ============================================================================

-- Tenant settings: thresholds, margins and the business model, one value per key as text (parsed
-- and validated by analytics/config.ts, which also holds the defaults for absent keys). Changing a
-- setting writes a new version; the current value is `FINAL` (or argMax by updated_at).
-- ORDER BY key: every read looks settings up by key, in a table of a few dozen rows.
-- tenure:shard-by cityHash64(key)
CREATE TABLE IF NOT EXISTS tenant_settings
(
    key         String,
    value       String,
    updated_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;

-- One row per model per LTV refresh: the BG/NBD and Gamma-Gamma maximum-likelihood fits and the
-- contractual churn rate the refresh used. fit_id identifies the refresh (all its rows share it,
-- and so do the account_ltv rows it wrote). params by name: r, alpha, a, b (bgnbd); p, q, gamma
-- (gamma_gamma); monthly_churn_rate, churned, at_risk (contractual). status: fitted, too_few,
-- not_converged, unusable or skipped (analytics/ltv/tenant-fit.ts), for the portal to word in the
-- user's language; message says the same in English for the CLI and logs. log_likelihood is NULL
-- when the model was not fitted.
-- ORDER BY (as_of, fit_id): the portal and the dataset functions look up the latest refresh of
-- one as-of date; the table grows by three rows per refresh.
-- tenure:shard-by cityHash64(fit_id)
CREATE TABLE IF NOT EXISTS ltv_fits
(
    fit_id           String,
    as_of            Date,
    calibration_end  Date,
    model            LowCardinality(String),
    status           LowCardinality(String),
    params           Map(String, Float64),
    log_likelihood   Nullable(Float64),
    n                UInt64,
    converged        UInt8,
    iterations       UInt32,
    message          String,
    currency         LowCardinality(String),
    margin           Float64,
    discount_rate    Float64,
    created_at       DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (as_of, fit_id);

-- Per-account LTV as of a date. model: 'orders' (buys without a contract: BG/NBD + Gamma-Gamma,
-- P(alive), next order due) or 'subscriptions' (ever had a subscription: contractual LTV). x, t_x
-- and T are in weeks (x repeat purchase days); money is in `currency`; predicted values are NULL
-- when the refresh could not fit a model (see ltv_fits.message). A refresh rewrites every account
-- of its as-of date with a new fit_id; readers select the latest fit_id, so accounts that dropped
-- out of a later refresh of the same date are not read (and merges replace them eventually).
-- ORDER BY (as_of, account_id): the portal reads one as-of date's rows (distributions by segment
-- or cohort, the accounts list) and single accounts by id within it.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS account_ltv
(
    as_of              Date,
    account_id         String,
    fit_id             String,
    model              LowCardinality(String),
    currency           LowCardinality(String),
    cohort_month       Date,
    x                  Nullable(UInt32),
    t_x                Nullable(Float64),
    T                  Nullable(Float64),
    m_x                Nullable(Float64),
    revenue            Decimal(18, 2),
    p_alive            Nullable(Float64),
    exp_tx_4w          Nullable(Float64),
    exp_tx_13w         Nullable(Float64),
    exp_tx_52w         Nullable(Float64),
    exp_avg_value      Nullable(Float64),
    ltv_12m_predicted  Nullable(Float64),
    ltv_historical     Decimal(18, 2),
    ltv_contractual    Nullable(Float64),
    mrr                Nullable(Decimal(18, 2)),
    last_order_date    Nullable(Date),
    next_order_due     Nullable(Date),
    overdue            UInt8,
    computed_at        DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (as_of, account_id);
