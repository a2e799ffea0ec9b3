-- ============================================================================
-- CRM core tables: accounts, contacts, owners (with teams) and activities.
--
-- Every core table carries the same bookkeeping columns:
--   _version     the loading run's start time in ms: the later load wins
--   _deleted     1 when a full-snapshot load no longer found the key in the source
--   _run_id      the ingest_runs.run_id that wrote this version (lineage)
--   _source_row  record number of the row in that run's file (1 = first data row)
--   _hash        hash of the business columns: reloading an unchanged row writes nothing
-- ReplacingMergeTree(_version, _deleted) keeps the newest version per natural key; read with FINAL.
-- Core tables are unpartitioned: a load's parts are attached with one ALTER per table, which is
-- the atomic commit (see ingest/README.md), and every query filters by account or scans anyway.
-- ============================================================================

-- ORDER BY account_id: the natural key (replacement) and every per-account lookup.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS accounts
(
    account_id          String,
    name                String,
    industry            LowCardinality(String),
    region              LowCardinality(String),
    segment             LowCardinality(String),
    acquisition_channel LowCardinality(String),
    owner_email         String,
    parent_account_id   String,
    created_at          DateTime('UTC'),
    _version            UInt64,
    _deleted            UInt8,
    _run_id             String,
    _source_row         UInt64,
    _hash               UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY account_id;

-- ORDER BY contact_id: natural key; contacts are few per account and read by joins.
-- tenure:shard-by cityHash64(contact_id)
CREATE TABLE IF NOT EXISTS contacts
(
    contact_id  String,
    account_id  String,
    name        String,
    email       String,
    phone       String,
    title       String,
    is_primary  UInt8,
    created_at  DateTime('UTC'),
    _version    UInt64,
    _deleted    UInt8,
    _run_id     String,
    _source_row UInt64,
    _hash       UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY contact_id;

-- Account owners are portal users matched by e-mail; a team has a manager (escalations, scope).
-- ORDER BY owner_email: the natural key and the join key from accounts.owner_email.
-- tenure:shard-by cityHash64(owner_email)
CREATE TABLE IF NOT EXISTS owners
(
    owner_email    String,
    name           String,
    team           LowCardinality(String),
    manager_email  String,
    _version       UInt64,
    _deleted       UInt8,
    _run_id        String,
    _source_row    UInt64,
    _hash          UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY owner_email;

-- ORDER BY activity_id: natural key. "Days since last touch" aggregates by account over a scan.
-- tenure:shard-by cityHash64(activity_id)
CREATE TABLE IF NOT EXISTS activities
(
    activity_id    String,
    account_id     String,
    owner_email    String,
    activity_type  LowCardinality(String),
    occurred_at    DateTime('UTC'),
    subject        String,
    _version       UInt64,
    _deleted       UInt8,
    _run_id        String,
    _source_row    UInt64,
    _hash          UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY activity_id;
