-- The session with this id and its user, current versions only (FINAL drops _deleted rows too;
-- the explicit filters keep the intent visible). Both tables are small and keyed by these ids.
SELECT
    s.session_id AS session_id,
    s.user_id AS user_id,
    toUnixTimestamp64Milli(s.expires_at) AS expires_ms,
    toUnixTimestamp64Milli(s.created_at) AS created_ms,
    u.email AS email,
    u.name AS name,
    u.role AS role,
    u.team AS team,
    u.locale AS locale
FROM (
    SELECT session_id, user_id, expires_at, created_at
    FROM sessions FINAL
    WHERE session_id = {session_id:String} AND _deleted = 0
) AS s
INNER JOIN (
    SELECT user_id, email, name, role, team, locale
    FROM users FINAL
    WHERE _deleted = 0 AND user_id IN (
        SELECT user_id FROM sessions FINAL WHERE session_id = {session_id:String}
    )
) AS u ON u.user_id = s.user_id
LIMIT 1
