-- Health band counts per stored as-of date in [{from}, {to}] (analytics/health/read.ts): the
-- latest succeeded refresh of each date, accounts that pass the filters and scope by their
-- attributes on that date, oldest first.
SELECT
    toString(as_of) AS day,
    countIf(band = 'green') AS green,
    countIf(band = 'yellow') AS yellow,
    countIf(band = 'red') AS red,
    countIf(band = 'none') AS none
FROM health_scores
WHERE as_of BETWEEN {from:Date} AND {to:Date}
  AND refresh_id IN
  (
      SELECT argMax(refresh_id, started_at)
      FROM analytics_refreshes FINAL
      WHERE status = 'succeeded' AND as_of BETWEEN {from:Date} AND {to:Date}
      GROUP BY as_of
  )
  AND {{account-filter}}
GROUP BY day
ORDER BY day
