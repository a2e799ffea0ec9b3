-- ============================================================================
-- Service and voice-of-customer core tables: tickets, survey responses, product usage.
-- Bookkeeping columns as in 0002_core_crm.sql.
-- ============================================================================

-- sentiment is a score in [-1, 1] (negative < 0); csat 1–5 when the customer rated the ticket.
-- ORDER BY ticket_id: natural key; service metrics scan by created_at range.
-- tenure:shard-by cityHash64(ticket_id)
CREATE TABLE IF NOT EXISTS tickets
(
    ticket_id           String,
    account_id          String,
    contact_id          String,
    created_at          DateTime('UTC'),
    first_response_at   Nullable(DateTime('UTC')),
    resolved_at         Nullable(DateTime('UTC')),
    priority            LowCardinality(String),
    channel             LowCardinality(String),
    category            LowCardinality(String),
    ticket_type         LowCardinality(String),
    status              LowCardinality(String),
    csat                Nullable(UInt8),
    sentiment           Nullable(Float32),
    agent_interactions  UInt16,
    reopened            UInt8,
    _version            UInt64,
    _deleted            UInt8,
    _run_id             String,
    _source_row         UInt64,
    _hash               UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY ticket_id;

-- survey_type nps (0–10), csat (1–5) or ces (1–7).
-- ORDER BY response_id: natural key; NPS trends scan by responded_at.
-- tenure:shard-by cityHash64(response_id)
CREATE TABLE IF NOT EXISTS survey_responses
(
    response_id   String,
    account_id    String,
    contact_id    String,
    survey_type   LowCardinality(String),
    score         UInt8,
    comment       String,
    responded_at  DateTime('UTC'),
    _version      UInt64,
    _deleted      UInt8,
    _run_id       String,
    _source_row   UInt64,
    _hash         UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY response_id;

-- ORDER BY (account_id, day): natural key, and usage trends are read per account over days.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS usage_daily
(
    account_id    String,
    day           Date,
    active_users  UInt32,
    key_events    UInt32,
    _version      UInt64,
    _deleted      UInt8,
    _run_id       String,
    _source_row   UInt64,
    _hash         UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY (account_id, day);
