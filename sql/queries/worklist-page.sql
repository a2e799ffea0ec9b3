-- One page of the at-risk worklist of a refresh ({refresh_id}, as of {as_of}): active accounts
-- that are health red or have an open critical alert on D ({critical}, from
-- worklist-critical.sql) (METRICS.md "At risk"), within the filters and scope, with their health
-- and trailing-12-month revenue; worklist-alerts.sql adds the page's open alerts. Ordered by value
-- at risk = churn probability × revenue_12m; until the churn model has scored accounts (issue
-- #5), by revenue_12m at risk, then the lower health score, then id. total: at-risk accounts
-- before the page. Only the candidates' snapshot and health rows are joined, never all accounts.
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
    count() OVER () AS total
FROM
(
    SELECT account_id, name, segment, tier, owner_email, team, revenue_12m, last_order
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
      AND active = 1
      AND (account_id IN {critical:Array(String)}
           OR account_id IN (SELECT account_id FROM health_scores WHERE refresh_id = {refresh_id:String} AND band = 'red'))
      AND {{account-filter}}
) AS s
LEFT JOIN
(
    SELECT account_id, score, band
    FROM health_scores
    WHERE refresh_id = {refresh_id:String}
      AND (band = 'red' OR account_id IN {critical:Array(String)})
) AS h ON h.account_id = s.account_id
ORDER BY s.revenue_12m DESC, h.score ASC, s.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
