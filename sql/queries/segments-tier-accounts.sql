-- One page of accounts with their tier (METRICS.md "Tier", computed by the base refresh) as of
-- refresh {refresh_id}, within the account filters and the caller's scope; {tier} = '' means any.
-- repurchase_rate = quarters of the last 4 with an order ÷ 4. Sort keys from the allow-list in
-- analytics/segments/tiers.ts: revenue_12m or repurchase_rate (descending), or the account id
-- alone; {after} continues after an account id (keyset paging of exports).
SELECT
    account_id,
    name,
    segment,
    region,
    industry,
    owner_email,
    toString(revenue_12m) AS revenue_12m,
    orders_12m,
    repurchase_quarters,
    repurchase_quarters / 4 AS repurchase_rate,
    tier
FROM account_snapshot
WHERE refresh_id = {refresh_id:String}
  AND ({tier:String} = '' OR tier = {tier:String})
  AND account_id > {after:String}
  AND {{account-filter}}
ORDER BY
    multiIf(
        {sort:String} = 'revenue_12m', toFloat64(revenue_12m),
        {sort:String} = 'repurchase_rate', toFloat64(repurchase_quarters),
        NULL) DESC NULLS LAST,
    account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
