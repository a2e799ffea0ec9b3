-- The base accounts of NRR/GRR as of the refresh date (analytics/retention/nrr.ts,
-- nrrGrrAccounts) of one {kind}: 'churned' (no revenue in the last 12 months), 'contracted',
-- 'expanded' or 'flat' (current vs base revenue, as in retention-nrr-grr.sql), with both
-- revenues, largest change first. Filters and scope as everywhere; {total} counts the rows
-- before paging.
SELECT
    account_id,
    name,
    owner_email,
    segment,
    revenue_prev_12m AS base_revenue,
    revenue_12m AS current_revenue,
    count() OVER () AS total
FROM account_snapshot
WHERE refresh_id = {refresh_id:String}
  AND revenue_prev_12m > 0
  AND multiIf(
      {kind:String} = 'churned', revenue_12m <= 0,
      {kind:String} = 'contracted', revenue_12m > 0 AND revenue_12m < revenue_prev_12m,
      {kind:String} = 'expanded', revenue_12m > revenue_prev_12m,
      {kind:String} = 'flat', revenue_12m = revenue_prev_12m,
      false)
  AND {{account-filter}}
ORDER BY abs(revenue_12m - revenue_prev_12m) DESC, revenue_prev_12m DESC, account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
