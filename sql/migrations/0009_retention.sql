-- ============================================================================
-- Retention: churn episodes per account (METRICS.md, "Churned as of D", "Churn rate"; issue #3).
-- ============================================================================

-- Every churn of every account through the refresh date, including churn-and-return: an account
-- that churned, came back and churned again has two rows. Written by the refresh step "retention"
-- (analytics/retention/churn-events.ts, sql/queries/retention-refresh-churn-events.sql).
-- episode_start: first activity of the active stretch that ended in this churn; last_activity:
-- its last order day or subscription end; churn_day: last order + churn_inactivity_days, or
-- subscription end + renewal_grace_days (under business model 'both' the later of the two, as
-- the account only churns once every side has); returned_on: the first activity after the churn
-- (on or before the refresh date), NULL when the account has not come back.
-- The filter columns are copied from account_snapshot (attributes as of the refresh), so the
-- churn counts of a CRR trend are one scan of this table.
-- ORDER BY (refresh_id, churn_day, account_id): churn counts group one refresh's rows by the
-- period of churn_day, and the churned accounts of a period are a range of churn_day.
-- PARTITION BY refresh_id: rows belong to one refresh and go with it (as account_periods).
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS account_churn_events
(
    refresh_id           String,
    account_id           String,
    episode_start        Date,
    last_activity        Date,
    churn_day            Date,
    returned_on          Nullable(Date),
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
ORDER BY (refresh_id, churn_day, account_id);
