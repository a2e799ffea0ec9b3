-- Alerts as of {as_of} (the date of refresh {refresh_id}), for the portal's alert list, one
-- account's alert history and `tenure export alerts`. An alert counts as of {as_of} when it was
-- opened on or before it; its status as of {as_of} is resolved when it was resolved on or before
-- it, else open. Evidence is the alert's latest (a later refresh may have updated it). Account
-- attributes, filters ({{account-filter}}) and scope come from the refresh's account_snapshot.
-- Optional filters ('' = any): {status}, {signal}, {severity}, {account_id}. Order: open first,
-- critical first, most recently seen first, then account and signal. total: rows before the page.
WITH
    visible AS
    (
        SELECT account_id, name, owner_email, team, tier
        FROM account_snapshot
        WHERE refresh_id = {refresh_id:String}
          AND ({account_id:String} = '' OR account_id = {account_id:String})
          AND {{account-filter}}
    ),
    dated AS
    (
        SELECT
            *,
            if(resolved_as_of IS NOT NULL AND resolved_as_of <= {as_of:Date}, 'resolved', 'open') AS status_as_of
        FROM alerts FINAL
        WHERE opened_as_of <= {as_of:Date}
          AND ({account_id:String} = '' OR account_id = {account_id:String})
          AND ({signal:String} = '' OR signal = {signal:String})
          AND ({severity:String} = '' OR severity = {severity:String})
    )
SELECT
    a.alert_id AS alert_id,
    a.account_id AS account_id,
    v.name AS name,
    v.owner_email AS owner_email,
    v.team AS team,
    v.tier AS tier,
    a.signal AS signal,
    a.severity AS severity,
    a.status_as_of AS status,
    toString(a.opened_as_of) AS opened_as_of,
    toString(a.last_seen_as_of) AS last_seen_as_of,
    if(a.status_as_of = 'resolved', toString(a.resolved_as_of), NULL) AS resolved_as_of,
    if(a.status_as_of = 'resolved', a.resolution, '') AS resolution,
    a.value AS value,
    a.baseline AS baseline,
    a.threshold AS threshold,
    a.detail AS detail,
    count() OVER () AS total
FROM dated AS a
INNER JOIN visible AS v ON v.account_id = a.account_id
WHERE {status:String} = '' OR a.status_as_of = {status:String}
ORDER BY a.status_as_of = 'open' DESC, a.severity = 'critical' DESC, a.last_seen_as_of DESC, a.account_id, a.signal, a.opened_as_of DESC
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
