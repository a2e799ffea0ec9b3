-- ============================================================================
-- Early-warning alerts and cross-sell (METRICS.md, "Health and early warning" and "Cross-sell";
-- issue #3). Written by the refresh steps "alerts" (analytics/alerts/step.ts) and "cross-sell"
-- (analytics/cross-sell/step.ts); the signal rules are in analytics/alerts/README.md.
-- ============================================================================

-- What each signal found for each account at one refresh (rows only where a signal holds): the
-- per-refresh input of the alert merge, and the history of every signal's evidence by date.
-- signal: usage_drop | sla_first_response | repurchase_overdue | sentiment_rising | new_detractor
-- | health_band_drop; severity: critical | warning. can_open = 0: the row only keeps an open alert
-- open (a detractor response that is no longer new, a health band still below the one it dropped
-- from) and never opens one. Evidence: value, the account's own baseline and the threshold it was
-- held against (NULL where the signal has none), and detail (ticket_id, band_from, …) for the UI's
-- sentence.
-- PARTITION BY toYYYYMM(as_of): one refresh a day; old months can be dropped whole.
-- ORDER BY (refresh_id, account_id, signal): the merge reads one refresh; the cleanup deletes by
-- refresh_id.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS alert_signals
(
    refresh_id  String,
    as_of       Date,
    account_id  String,
    signal      LowCardinality(String),
    severity    LowCardinality(String),
    can_open    UInt8,
    value       Nullable(Float64),
    baseline    Nullable(Float64),
    threshold   Nullable(Float64),
    detail      Map(String, String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(as_of)
ORDER BY (refresh_id, account_id, signal);

-- Alerts: at most one open alert per (account, signal), kept across refreshes. A refresh that
-- sees the signal again writes a new version of the same alert_id (last_seen_as_of and evidence
-- move); one that no longer sees it writes the resolved version (resolution 'auto'). alert_id is
-- a hash of (account_id, signal, opened_as_of): stable for the portal's worklist, and a merge
-- that is run twice writes the same ids. as_of / refresh_id: the refresh that wrote the version
-- (opened_refresh_id the one that opened it). Evidence columns as in alert_signals: the latest
-- seen (a resolved alert keeps the evidence of the last time it fired).
-- ReplacingMergeTree(version): the newest version of an alert wins; read with FINAL.
-- ORDER BY (account_id, signal, alert_id): alert_id is the replacement key (account_id and signal
-- are functions of it, so the prefix does not split versions); an account's alerts are one range
-- of the index, and the worklist scans the open ones.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS alerts
(
    alert_id           String,
    account_id         String,
    signal             LowCardinality(String),
    severity           LowCardinality(String),
    status             LowCardinality(String),
    opened_as_of       Date,
    last_seen_as_of    Date,
    resolved_as_of     Nullable(Date),
    resolution         LowCardinality(String),
    value              Nullable(Float64),
    baseline           Nullable(Float64),
    threshold          Nullable(Float64),
    detail             Map(String, String),
    opened_refresh_id  String,
    refresh_id         String,
    as_of              Date,
    version            UInt64,
    updated_at         DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (account_id, signal, alert_id);

-- Product affinity of one refresh, per account (not per order): over the accounts with a
-- purchase in the cross-sell lookback, accounts_a bought A, accounts_b bought B, accounts_ab both,
-- accounts_total any product. support = accounts_ab / accounts_total, confidence (A → B) =
-- accounts_ab / accounts_a, lift = confidence / (accounts_b / accounts_total). One row per ordered
-- pair bought together by at least one account (both directions).
-- PARTITION BY refresh_id: like account_products, a refresh's rows are dropped as one partition.
-- ORDER BY (refresh_id, sku_a, sku_b): suggestions join the rules of one refresh by sku_a.
-- tenure:shard-by cityHash64(sku_a)
CREATE TABLE IF NOT EXISTS product_affinity
(
    refresh_id      String,
    as_of           Date,
    sku_a           String,
    sku_b           String,
    accounts_a      UInt64,
    accounts_b      UInt64,
    accounts_ab     UInt64,
    accounts_total  UInt64,
    support         Float64,
    confidence      Float64,
    lift            Float64
)
ENGINE = MergeTree
PARTITION BY refresh_id
ORDER BY (refresh_id, sku_a, sku_b);

-- Cross-sell suggestions of one refresh: per account its best products B not bought (ever), each
-- from a rule A → B with lift > 1 and confidence ≥ cross_sell_min_confidence where A is a product
-- the account bought in the lookback; score = confidence × list price, rank 1 = best.
-- because_sku: the A of the best rule (highest confidence, then lift, then smallest sku).
-- PARTITION BY refresh_id: as product_affinity.
-- ORDER BY (refresh_id, account_id, rank): one account's list, and pages of all accounts.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS cross_sell_suggestions
(
    refresh_id   String,
    as_of        Date,
    account_id   String,
    rank         UInt8,
    sku          String,
    category     LowCardinality(String),
    confidence   Float64,
    lift         Float64,
    price        Decimal(18, 2),
    score        Float64,
    because_sku  String
)
ENGINE = MergeTree
PARTITION BY refresh_id
ORDER BY (refresh_id, account_id, rank);
