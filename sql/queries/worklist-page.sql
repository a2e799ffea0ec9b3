-- One page of the at-risk worklist of a refresh ({refresh_id}, as of {as_of}), METRICS.md "At
-- risk": active accounts that are health red, or have an open critical alert on D ({critical},
-- from worklist-critical.sql), or a churn probability of at least {risk_threshold} in the scores
-- of D (the latest `tenure score` run of D, sql/fragments/churn-scores-current.sql), within the
-- filters and scope; worklist-alerts.sql adds the page's open alerts. Ordered by value at risk = churn probability × revenue_12m (accounts
-- without a score last), then revenue_12m, the lower health score, id. total: at-risk accounts
-- before the page. The accounts come from health_scores alone: it has a row for every active
-- account (band 'none' without data) with the snapshot's name, owner, revenue and filter columns
-- copied in (joining the snapshot took ~0.3 s at 1M accounts); only the candidates' scores are
-- joined.
WITH
    scores AS
    (
        SELECT account_id, probability
        FROM
        (
            {{churn-scores-current}}
        )
    ),
    likely AS
    (
        SELECT account_id FROM scores WHERE probability >= {risk_threshold:Float64}
    )
SELECT
    h.account_id AS account_id,
    h.name AS name,
    h.segment AS segment,
    h.tier AS tier,
    h.owner_email AS owner_email,
    h.team AS team,
    toString(h.revenue_12m) AS revenue_12m,
    toString(h.last_order) AS last_order,
    h.score AS health_score,
    h.band AS health_band,
    if(c.account_id = '', NULL, c.probability) AS churn_probability,
    churn_probability * toFloat64(h.revenue_12m) AS value_at_risk,
    count() OVER () AS total
-- The candidates (~80k at 1M accounts) are the join's right side, the hash table; the date's
-- scores (~1M) only probe it. Filtering the scores down to the candidates first cost ~150 ms.
FROM
(
    SELECT account_id, probability FROM scores
) AS c
RIGHT JOIN
(
    SELECT account_id, name, segment, tier, owner_email, team, revenue_12m, last_order, score, band
    FROM health_scores
    WHERE refresh_id = {refresh_id:String}
      AND (band = 'red' OR account_id IN {critical:Array(String)} OR account_id IN (SELECT account_id FROM likely))
      AND {{account-filter}}
) AS h ON c.account_id = h.account_id
ORDER BY value_at_risk DESC NULLS LAST, h.revenue_12m DESC, h.score ASC, h.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
