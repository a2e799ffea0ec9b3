-- One page of accounts with their lifecycle stage as of refresh {refresh_id} (portal lists,
-- `tenure export lifecycle`), within the account filters and the caller's scope; {stage} = ''
-- means any. Sort keys from the allow-list in analytics/segments/lifecycle.ts: revenue_6m,
-- revenue_change (revenue_6m − revenue_prev_6m; descending), first_order (oldest first), or the
-- account id alone; {after} continues after an account id (keyset paging of exports).
SELECT
    account_id,
    name,
    segment,
    region,
    industry,
    owner_email,
    tier,
    stage,
    toString(first_order) AS first_order,
    toString(first_activity) AS first_activity,
    toString(revenue_6m) AS revenue_6m,
    toString(revenue_prev_6m) AS revenue_prev_6m,
    health_band
FROM account_segments
WHERE refresh_id = {refresh_id:String}
  AND ({stage:String} = '' OR stage = {stage:String})
  AND account_id > {after:String}
  AND {{account-filter}}
ORDER BY
    multiIf(
        {sort:String} = 'revenue_6m', toFloat64(revenue_6m),
        {sort:String} = 'revenue_change', toFloat64(revenue_6m) - toFloat64(revenue_prev_6m),
        {sort:String} = 'first_order', -toFloat64(toUInt32(first_activity)),
        NULL) DESC NULLS LAST,
    account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
