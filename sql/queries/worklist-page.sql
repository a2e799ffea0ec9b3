-- One page of the at-risk worklist of a refresh ({refresh_id}, as of {as_of}): active accounts
-- that are health red or have an open critical alert on D (METRICS.md "At risk"), within the
-- filters and scope ({{account-filter}}), with their health, open alerts and trailing-12-month
-- revenue. Ordered by value at risk = churn probability × revenue_12m; until the churn model has
-- scored accounts (issue #5), by revenue_12m at risk, then the lower health score, then id.
-- total: at-risk accounts before the page.
WITH
    scoped AS
    (
        SELECT account_id, name, segment, tier, owner_email, team, revenue_12m, last_order
        FROM account_snapshot
        WHERE refresh_id = {refresh_id:String} AND active = 1 AND {{account-filter}}
    ),
    open_alerts AS
    (
        SELECT
            account_id,
            countIf(severity = 'critical') AS critical,
            count() AS open_alerts,
            arraySort(groupUniqArray(toString(signal))) AS signals
        FROM alerts FINAL
        WHERE opened_as_of <= {as_of:Date}
          AND (resolved_as_of IS NULL OR resolved_as_of > {as_of:Date})
          AND account_id IN (SELECT account_id FROM scoped)
        GROUP BY account_id
    ),
    health AS
    (
        SELECT account_id, score, band
        FROM health_scores
        WHERE refresh_id = {refresh_id:String}
          AND account_id IN (SELECT account_id FROM scoped)
    ),
    candidates AS
    (
        SELECT account_id FROM health WHERE band = 'red'
        UNION DISTINCT
        SELECT account_id FROM open_alerts WHERE critical > 0
    )
SELECT
    s.account_id AS account_id,
    s.name AS name,
    s.segment AS segment,
    s.tier AS tier,
    s.owner_email AS owner_email,
    s.team AS team,
    toString(s.revenue_12m) AS revenue_12m,
    toString(s.last_order) AS last_order,
    h.score AS health_score,
    if(h.account_id = '', 'none', h.band) AS health_band,
    a.critical AS critical_alerts,
    a.open_alerts AS open_alerts,
    a.signals AS signals,
    count() OVER () AS total
FROM scoped AS s
LEFT JOIN health AS h ON h.account_id = s.account_id
LEFT JOIN open_alerts AS a ON a.account_id = s.account_id
WHERE s.account_id IN (SELECT account_id FROM candidates)
ORDER BY s.revenue_12m DESC, h.score ASC, s.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
