-- One page of the at-risk worklist of a refresh ({refresh_id}, as of {as_of}): active accounts
-- that are health red or have an open critical alert on D ({critical}, from
-- worklist-critical.sql) (METRICS.md "At risk"), within the filters and scope, with their health
-- and trailing-12-month revenue; worklist-alerts.sql adds the page's open alerts. Ordered by value
-- at risk = churn probability × revenue_12m; until the churn model has scored accounts (issue
-- #5), by revenue_12m at risk, then the lower health score, then id. total: at-risk accounts
-- before the page. Read from health_scores alone: it has a row for every active account (band
-- 'none' without data) with the snapshot's name, owner, revenue and filter columns copied in, so
-- the page is one scan (at 1M accounts ~0.1 s; joining the snapshot took ~0.3 s).
SELECT
    account_id,
    name,
    segment,
    tier,
    owner_email,
    team,
    toString(revenue_12m) AS revenue_12m,
    toString(last_order) AS last_order,
    score AS health_score,
    band AS health_band,
    count() OVER () AS total
FROM health_scores
WHERE refresh_id = {refresh_id:String}
  AND (band = 'red' OR account_id IN {critical:Array(String)})
  AND {{account-filter}}
ORDER BY revenue_12m DESC, score ASC, account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
