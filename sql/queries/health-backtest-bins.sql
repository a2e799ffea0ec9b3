-- Health backtest for one past date {as_of} (analytics/health/backtest.ts): the accounts active on
-- {as_of} (health-churn-labels.sql, horizon {horizon_days}), scored as of {as_of} by the one score
-- definition (health-score.sql, over the accounts of the latest refresh's snapshot {refresh_id},
-- whose attributes the filters and scope apply to), counted per score (rounded to 0.01: the ROC
-- AUC treats scores within a bin as ties), band and label. analytics/health/score-query.ts puts the
-- two statements where this one names them.
SELECT
    round(s.score, 2) AS score,
    s.band AS band,
    l.churned AS churned,
    count() AS accounts
FROM
(
    SELECT account_id, score, band
    FROM (__HEALTH_SCORE__)
    WHERE {{account-filter}}
) AS s
INNER JOIN (__CHURN_LABELS__) AS l ON l.account_id = s.account_id
WHERE l.active = 1
GROUP BY score, band, churned
ORDER BY score, band, churned
