-- ============================================================================
-- Analytics refreshes and the per-account base they build (issue #3; METRICS.md).
--
-- `tenure refresh --as-of D` computes derived tables from the core tables with data through the
-- local day D. Every derived row carries its refresh_id; readers resolve the latest succeeded
-- refresh of a date (analytics/refresh-state.ts) and filter on its id, so a refresh that fails
-- half-way, or one still running, is never read. Superseded rows are dropped after a success.
-- ============================================================================

-- One row per refresh and state change (running, then succeeded or failed; the latest wins).
-- steps: milliseconds per step; message: the error of a failed refresh, in English.
-- ORDER BY (as_of, refresh_id): readers look up the latest succeeded refresh of one date.
-- tenure:shard-by cityHash64(refresh_id)
CREATE TABLE IF NOT EXISTS analytics_refreshes
(
    refresh_id   String,
    as_of        Date,
    status       LowCardinality(String),
    currency     LowCardinality(String),
    steps        Map(String, Float64),
    message      String,
    started_at   DateTime64(3, 'UTC'),
    updated_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (as_of, refresh_id);

-- Each account's state as of the refresh date: its CRM attributes (owner and team as of the
-- refresh: an account that moved owners counts under the new one), activity, revenue in the
-- reporting currency, tier and churn status. The filter columns (segment, region, industry,
-- acquisition_channel, owner_email, team, tier, categories) have the same names in every derived
-- table, so one filter fragment (sql/fragments/account-filter.sql) serves them all.
-- first_activity: first counted order day or first subscription start (by the business model).
-- Trailing windows end on D: 12m = (D − 12 months, D], prev_12m the 12 months before, likewise 6m.
-- repurchase_quarters: of the last 4 quarters (3-month windows ending on D), those with ≥ 1 order.
-- Tier (METRICS.md): A = revenue_12m ≥ tier_a_revenue and repurchase rate > tier_a_repurchase;
-- otherwise B when revenue_12m ≥ tier_b_revenue or repurchase rate ≥ tier_b_repurchase; else C.
-- ORDER BY (refresh_id, account_id): every read is one refresh, often one account.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS account_snapshot
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
    manager_email        LowCardinality(String),
    tier                 LowCardinality(String),
    categories           Array(LowCardinality(String)),
    created_day          Date,
    first_activity       Nullable(Date),
    first_order          Nullable(Date),
    last_order           Nullable(Date),
    orders_total         UInt32,
    revenue_total        Decimal(18, 2),
    orders_12m           UInt32,
    revenue_12m          Decimal(18, 2),
    revenue_prev_12m     Decimal(18, 2),
    revenue_6m           Decimal(18, 2),
    revenue_prev_6m      Decimal(18, 2),
    repurchase_quarters  UInt8,
    has_subscription     UInt8,
    subscription_active  UInt8,
    mrr                  Decimal(18, 2),
    subscription_end     Nullable(Date),
    active               UInt8,
    churned              UInt8,
    churn_day            Nullable(Date)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(as_of)
ORDER BY (refresh_id, account_id);

-- What each account bought through D (counted orders in the reporting currency), per product:
-- the base of the category filter and of cross-sell affinity.
-- ORDER BY (refresh_id, account_id, sku): per-account lookups and the affinity self-join by account.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS account_products
(
    refresh_id   String,
    account_id   String,
    sku          String,
    category     LowCardinality(String),
    first_day    Date,
    last_day     Date,
    orders       UInt32,
    quantity     Decimal(18, 4),
    revenue      Decimal(18, 2)
)
ENGINE = MergeTree
PARTITION BY refresh_id
ORDER BY (refresh_id, account_id, sku);

-- Activity per account and period (grain 'month', or 'week' for accounts whose first activity is
-- in the 52 weeks before D: weekly cohorts are for recent acquisition), with the account's cohort
-- (the period of its first activity) and filter columns copied in, so a cohort matrix or a CRR
-- trend is one scan of one table without a join. A row exists for every period in which the
-- account was active (a counted order, or an active subscription on any day of it under the
-- business model) or had revenue. Quarters are read from the month rows.
-- ORDER BY (refresh_id, grain, cohort, period): cohort matrices group by cohort and period.
-- PARTITION BY refresh_id: only the last refreshes are kept, and dropping one is a partition drop.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS account_periods
(
    refresh_id           String,
    grain                LowCardinality(String),
    period               Date,
    cohort               Date,
    account_id           String,
    orders               UInt32,
    revenue              Decimal(18, 2),
    active               UInt8,
    segment              LowCardinality(String),
    region               LowCardinality(String),
    industry             LowCardinality(String),
    acquisition_channel  LowCardinality(String),
    owner_email          LowCardinality(String),
    team                 LowCardinality(String),
    tier                 LowCardinality(String),
    categories           Array(LowCardinality(String))
)
ENGINE = MergeTree
PARTITION BY refresh_id
ORDER BY (refresh_id, grain, cohort, period);
