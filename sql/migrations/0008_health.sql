-- ============================================================================
-- Health score (METRICS.md, "Health and early warning"; issue #3).
--
-- One row per account active as of the refresh date (account_snapshot.active = 1; churned and
-- potential accounts get no row), written by the refresh step "health" (analytics/health/step.ts)
-- from sql/queries/health-score.sql. Each refresh of a date D writes D's rows, so refreshes of
-- successive dates are the daily history. The component rules are in analytics/health/README.md.
-- ============================================================================

-- score: weighted mean of the present components, NULL when none has data (band 'none');
-- band: 'green' | 'yellow' | 'red' | 'none' by the tenant's health_green_min / health_yellow_min.
-- <component>_score: 0–100, NULL when the component has no data (listed in `missing`).
-- weights: the weight actually used per present component, renormalised to sum to 1.
-- The raw inputs after the scores let the UI say why (windows end on as_of, local days):
--   recency: order_days (distinct purchase days through D), last_order, days_since_order,
--            median_gap_days (median gap between consecutive purchase days);
--   spend: counted-order revenue (reporting currency) in the last 90 days and the 90 before;
--   usage: usage_daily key_events in the last 90 days and the 90 before, usage_days (rows in
--          the 180 days);
--   support: tickets created in the last 90 days and those of them that breached an SLA target;
--   sentiment: latest NPS response in the last 12 months (nps_latest, nps_day); ticket CSAT
--              ratings (csat_ratings_90d, of them 4–5: csat_good_90d); tickets with a sentiment
--              score and of them negative (< 0), all tickets created in the last 90 days;
--   payment: invoices due in the last 365 days or still open (invoices_considered), open and past
--            due on D (overdue_invoices), and the worst days late (max_days_late);
--   relationship: the owner's last activity day with the account and days since.
-- The filter columns (name, segment … categories) and revenue_12m are copied from the refresh's
-- account_snapshot, so the portal's list, summary and trend read one table without a join, and a
-- date's rows keep the attributes the account had on that date.
-- PARTITION BY toYYYYMM(as_of): daily snapshots grow the table by one refresh a day; old months
-- can be dropped whole, and date-range reads (history, band trend) prune months.
-- ORDER BY (refresh_id, account_id): the portal list reads one refresh; one account's history
-- reads one granule per refresh through the same key (refresh_id has one value per stored date,
-- so the index skips to the account within each), and the cleanup deletes by refresh_id.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS health_scores
(
    refresh_id              String,
    as_of                   Date,
    account_id              String,
    name                    String,
    segment                 LowCardinality(String),
    region                  LowCardinality(String),
    industry                LowCardinality(String),
    acquisition_channel     LowCardinality(String),
    owner_email             LowCardinality(String),
    team                    LowCardinality(String),
    tier                    LowCardinality(String),
    categories              Array(LowCardinality(String)),
    revenue_12m             Decimal(18, 2),
    score                   Nullable(Float64),
    band                    LowCardinality(String),
    recency_score           Nullable(Float64),
    spend_score             Nullable(Float64),
    usage_score             Nullable(Float64),
    support_score           Nullable(Float64),
    sentiment_score         Nullable(Float64),
    payment_score           Nullable(Float64),
    relationship_score      Nullable(Float64),
    weights                 Map(String, Float64),
    missing                 Array(LowCardinality(String)),
    order_days              UInt32,
    last_order              Nullable(Date),
    days_since_order        Nullable(UInt32),
    median_gap_days         Nullable(Float64),
    spend_90d               Decimal(18, 2),
    spend_prev_90d          Decimal(18, 2),
    usage_days              UInt32,
    usage_events_90d        UInt64,
    usage_events_prev_90d   UInt64,
    tickets_90d             UInt32,
    sla_breaches_90d        UInt32,
    nps_latest              Nullable(UInt8),
    nps_day                 Nullable(Date),
    csat_ratings_90d        UInt32,
    csat_good_90d           UInt32,
    sentiment_tickets_90d   UInt32,
    negative_tickets_90d    UInt32,
    invoices_considered     UInt32,
    overdue_invoices        UInt32,
    max_days_late           Nullable(UInt32),
    last_touch              Nullable(Date),
    days_since_touch        Nullable(UInt32)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(as_of)
ORDER BY (refresh_id, account_id);
