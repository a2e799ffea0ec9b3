-- ============================================================================
-- Incremental refresh (issue #3, refresh speed; analytics/refresh/incremental.ts).
--
-- A refresh's per-account facts (account_days, account_products, account_periods) are copied
-- from the previous refresh for every account whose inputs cannot have changed since, and
-- recomputed from the core tables for the others ("dirty" accounts). What can have changed is
-- known from the ingest runs the previous refresh had not seen finish, the dates between the two
-- refreshes, and the accounts' attributes in both snapshots.
-- ============================================================================

-- basis: a hash of what the facts were computed under (time zone, currency, counted statuses,
-- business model, the facts' SQL). Facts are only copied from a refresh of the same basis.
ALTER TABLE analytics_refreshes ADD COLUMN IF NOT EXISTS basis String DEFAULT '';

-- The ingest runs that had finished (succeeded or failed) when a refresh started: every row they
-- wrote was in the core tables before the refresh read them. Rows of any other run are new to it.
-- ORDER BY (refresh_id, run_id); PARTITION BY refresh_id: kept and dropped with the facts.
-- tenure:shard-by cityHash64(refresh_id)
CREATE TABLE IF NOT EXISTS analytics_refresh_runs
(
    refresh_id  String,
    run_id      String
)
ENGINE = MergeTree
PARTITION BY refresh_id
ORDER BY (refresh_id, run_id);

-- The accounts a refresh recomputed instead of copying, per scope: 'orders' (account_days and
-- account_products), 'periods-month', 'periods-week'.
-- ORDER BY (refresh_id, scope, account_id); PARTITION BY refresh_id: dropped with the facts.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS refresh_dirty_accounts
(
    refresh_id  String,
    scope       LowCardinality(String),
    account_id  String
)
ENGINE = MergeTree
PARTITION BY refresh_id
ORDER BY (refresh_id, scope, account_id);

-- The accounts of stored rows an ingest run replaced with a changed version (an order moved to
-- another account, a subscription rewritten): the replaced version is merged away soon after,
-- so this is the only record that the old account's facts changed. New rows and snapshot-mode
-- tombstones carry their account themselves.
-- ORDER BY (run_id, entity, account_id).
-- tenure:shard-by cityHash64(run_id)
CREATE TABLE IF NOT EXISTS ingest_replaced_accounts
(
    run_id      String,
    entity      LowCardinality(String),
    account_id  String
)
ENGINE = MergeTree
ORDER BY (run_id, entity, account_id);
