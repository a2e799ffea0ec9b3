-- Health bands of one refresh {refresh_id} (analytics/health/read.ts): per band, the accounts that
-- pass the filters and scope and their trailing-12-month revenue (reporting currency, exact).
SELECT band, count() AS accounts, toDecimalString(sum(revenue_12m), 2) AS revenue_12m
FROM health_scores
WHERE refresh_id = {refresh_id:String}
  AND {{account-filter}}
GROUP BY band
