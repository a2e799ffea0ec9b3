-- Net and gross revenue retention as of the refresh date (analytics/retention/nrr.ts, nrrGrr;
-- METRICS.md "GRR / NRR") from account_snapshot: base = accounts with revenue in the 12 months
-- before D − 12m (revenue_prev_12m > 0), current = their revenue in the last 12 months
-- (revenue_12m), capped = each one's current revenue capped at its base revenue. Accounts with
-- no current revenue are churned; the others contracted, expanded or flat against their base.
-- Filters and scope as everywhere.
SELECT
    count() AS base_accounts,
    sum(revenue_prev_12m) AS base_revenue,
    sum(revenue_12m) AS current_revenue,
    sum(least(revenue_12m, revenue_prev_12m)) AS capped_revenue,
    countIf(revenue_12m <= 0) AS churned,
    countIf(revenue_12m > 0 AND revenue_12m < revenue_prev_12m) AS contracted,
    countIf(revenue_12m > revenue_prev_12m) AS expanded,
    countIf(revenue_12m = revenue_prev_12m) AS flat
FROM account_snapshot
WHERE refresh_id = {refresh_id:String}
  AND revenue_prev_12m > 0
  AND {{account-filter}}
