-- ============================================================================
-- Portal users and sessions (Lucia's design: the session id is the SHA-256 of a random token
-- that only the browser's HttpOnly cookie holds).
-- ============================================================================

-- role: admin | executive | manager | csm | analyst. team: for managers, the team they lead.
-- ORDER BY user_id: natural key; sign-in looks up by email over this small table.
-- tenure:shard-by cityHash64(user_id)
CREATE TABLE IF NOT EXISTS users
(
    user_id        String,
    email          String,
    name           String,
    role           LowCardinality(String),
    team           String,
    locale         LowCardinality(String),
    password_hash  String,
    created_at     DateTime64(3, 'UTC'),
    updated_at     DateTime64(3, 'UTC'),
    _deleted       UInt8
)
ENGINE = ReplacingMergeTree(updated_at, _deleted)
ORDER BY user_id;

-- Sliding expiry: a refresh writes a new version with a later expires_at; sign-out sets _deleted.
-- ORDER BY session_id: every request validates one session by id.
-- tenure:shard-by cityHash64(session_id)
CREATE TABLE IF NOT EXISTS sessions
(
    session_id   String,
    user_id      String,
    expires_at   DateTime64(3, 'UTC'),
    created_at   DateTime64(3, 'UTC'),
    updated_at   DateTime64(3, 'UTC'),
    _deleted     UInt8
)
ENGINE = ReplacingMergeTree(updated_at, _deleted)
ORDER BY session_id;
