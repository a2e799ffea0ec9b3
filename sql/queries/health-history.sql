-- One account's stored health by as-of date (analytics/health/read.ts): the score, band and
-- components of {account_id} in the latest succeeded refresh of each date in [{from}, {to}],
-- oldest first. Empty unless the account is in the caller's scope (and filters), judged by its
-- attributes in the refresh {scope_refresh_id} (the latest), which holds churned accounts too.
SELECT
    toString(as_of) AS day, score, band, recency_score, spend_score, usage_score, support_score,
    sentiment_score, payment_score, relationship_score, weights, missing
FROM health_scores
WHERE account_id = {account_id:String}
  AND as_of BETWEEN {from:Date} AND {to:Date}
  AND refresh_id IN
  (
      SELECT argMax(refresh_id, started_at)
      FROM analytics_refreshes FINAL
      WHERE status = 'succeeded' AND as_of BETWEEN {from:Date} AND {to:Date}
      GROUP BY as_of
  )
  AND account_id IN
  (
      SELECT account_id
      FROM account_snapshot
      WHERE refresh_id = {scope_refresh_id:String}
        AND account_id = {account_id:String}
        AND {{account-filter}}
  )
ORDER BY day
