-- ============================================================================
-- Voice of the customer and service (issue #3; METRICS.md "Voice of the customer and service"):
-- the business-day calendar and the per-refresh facts of survey responses and tickets.
-- ============================================================================

-- ---------------------------------------------------------------------------
-- Business-day calendar
-- ---------------------------------------------------------------------------

-- The statutory working-day calendar, one row per day of every year the data spans (loaded by
-- the refresh step "voc" from the chinese-days package: public holidays and make-up working days
-- 调休). source: 'chinese-days <version>', or 'mon-fri' for a year the package does not know
-- (every weekday worked; the refresh warns). kind: workday | weekend | holiday | makeup.
-- A later load of a year replaces its rows (the newest loaded_at wins).
-- ORDER BY day: the natural key, and every reader joins or ranges on day.
-- tenure:shard-by toYear(day)
CREATE TABLE IF NOT EXISTS business_calendar
(
    day         Date,
    is_workday  UInt8,
    kind        LowCardinality(String),
    name_en     String,
    name_zh     String,
    source      LowCardinality(String),
    loaded_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY day;

-- The tenant's own corrections, edited by an admin: a company holiday (is_workday 0), or a day
-- worked although the statutory calendar rests (1). They override the statutory calendar from the
-- next refresh on. Removing an override writes is_deleted = 1 (the newest updated_at wins).
-- ORDER BY day: the natural key (one override per day).
-- tenure:shard-by toYear(day)
CREATE TABLE IF NOT EXISTS calendar_overrides
(
    day         Date,
    is_workday  UInt8,
    note        String,
    updated_by  String,
    updated_at  DateTime64(3, 'UTC'),
    is_deleted  UInt8
)
ENGINE = ReplacingMergeTree(updated_at, is_deleted)
ORDER BY day;

-- The effective calendar: a tenant override where there is one, else the statutory day. Days
-- outside the loaded years are absent: readers count them Monday to Friday.
-- source: the statutory source, or 'override'.
CREATE VIEW IF NOT EXISTS business_days AS
SELECT
    day,
    argMax(is_workday, rank) AS is_workday,
    argMax(source, rank) AS source
FROM
(
    SELECT day, is_workday, toString(source) AS source, 1 AS rank FROM business_calendar FINAL
    UNION ALL
    SELECT day, is_workday, 'override' AS source, 2 AS rank FROM calendar_overrides FINAL WHERE is_deleted = 0
)
GROUP BY day;

-- ---------------------------------------------------------------------------
-- Per-refresh facts (refresh step "voc", analytics/voc/refresh.ts)
-- ---------------------------------------------------------------------------

-- Every survey response (nps, csat, ces) on or before the refresh date by its local day, with
-- its NPS category (promoter 9–10, passive 7–8, detractor 0–6; '' for csat and ces) and the
-- account's name and filter columns as of the refresh (account_snapshot), so an NPS trend, an
-- account's latest score or a page of verbatims is one scan of one refresh.
-- month: the first day of the local month of responded_at.
-- account_latest: 1 on the account's NPS (METRICS.md): its latest NPS response (by time, then
-- response id) whose local day is within the 12 months before the refresh date.
-- ORDER BY (refresh_id, survey_type, month, account_id): reads are one refresh and one survey
-- type over a range of months; account_id groups an account's responses (latest per account).
-- PARTITION BY refresh_id: a replaced or expired refresh goes as one partition.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS voc_responses
(
    refresh_id           String,
    response_id          String,
    account_id           String,
    contact_id           String,
    survey_type          LowCardinality(String),
    score                UInt8,
    category             LowCardinality(String),
    responded_at         DateTime('UTC'),
    responded_day        Date,
    month                Date,
    account_latest       UInt8,
    comment              String,
    account_name         String,
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
ORDER BY (refresh_id, survey_type, month, account_id);

-- Every ticket created on or before the refresh date D (local day), with its service flags as of
-- the end of D (analytics/voc/README.md has the definitions):
-- period: first day of the local month of created_at;
-- responded / resolved: a first response / resolution by the end of D (a ticket whose status is
--   resolved or closed without a resolution time counts as resolved, at an unknown time);
-- frt_hours, resolution_hours: hours from creation, when responded / resolved with a time;
-- frt_breached / resolution_breached: later than the priority's target, or still pending when the
--   target had passed by the end of D; sla_breached: either;
-- fcr: resolved with exactly one agent interaction and never reopened;
-- complaint: ticket_type complaint; open: not resolved by D;
-- business_age: business days from the created day to D (worked days after the created day up
--   to and including D, effective calendar); escalated: an open complaint with business_age above
--   the tenant's complaint_escalation_business_days.
-- The account's filter columns and owner's manager are copied from account_snapshot.
-- ORDER BY (refresh_id, period, account_id): reads are one refresh, grouped by period.
-- PARTITION BY refresh_id: a replaced or expired refresh goes as one partition.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS service_tickets
(
    refresh_id           String,
    ticket_id            String,
    account_id           String,
    created_at           DateTime('UTC'),
    created_day          Date,
    period               Date,
    priority             LowCardinality(String),
    channel              LowCardinality(String),
    ticket_category      LowCardinality(String),
    status               LowCardinality(String),
    csat                 Nullable(UInt8),
    responded            UInt8,
    frt_hours            Nullable(Float64),
    frt_breached         UInt8,
    resolved             UInt8,
    resolution_hours     Nullable(Float64),
    resolution_breached  UInt8,
    sla_breached         UInt8,
    fcr                  UInt8,
    complaint            UInt8,
    open                 UInt8,
    business_age         Int32,
    escalated            UInt8,
    segment              LowCardinality(String),
    region               LowCardinality(String),
    industry             LowCardinality(String),
    acquisition_channel  LowCardinality(String),
    owner_email          LowCardinality(String),
    team                 LowCardinality(String),
    manager_email        LowCardinality(String),
    tier                 LowCardinality(String),
    categories           Array(LowCardinality(String))
)
ENGINE = MergeTree
PARTITION BY refresh_id
ORDER BY (refresh_id, period, account_id);
