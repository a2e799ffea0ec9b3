-- One page of accounts of a refresh ({refresh_id}) with their state as of its date, for the
-- portal's account list and `tenure export accounts`. Filters and scope: {{account-filter}}.
-- {search} matches the id or the name (case-insensitive substring; '' = any). {status}: '' any,
-- or active / churned / potential (never active). Sort keys come from an allow-list in
-- analytics/accounts.ts; ties by account id. total: rows matching before the page.
SELECT
    account_id, name, segment, region, industry, acquisition_channel, owner_email, team, tier,
    toString(first_activity) AS first_activity,
    toString(last_order) AS last_order,
    orders_total, toString(revenue_total) AS revenue_total,
    orders_12m, toString(revenue_12m) AS revenue_12m, toString(revenue_prev_12m) AS revenue_prev_12m,
    repurchase_quarters, has_subscription, subscription_active, toString(mrr) AS mrr,
    active, churned, toString(churn_day) AS churn_day,
    count() OVER () AS total
FROM account_snapshot
WHERE refresh_id = {refresh_id:String}
  AND {{account-filter}}
  AND ({search:String} = '' OR positionCaseInsensitiveUTF8(account_id, {search:String}) > 0 OR positionCaseInsensitiveUTF8(name, {search:String}) > 0)
  AND ({status:String} = ''
       OR ({status:String} = 'active' AND active = 1)
       OR ({status:String} = 'churned' AND churned = 1)
       OR ({status:String} = 'potential' AND first_activity IS NULL))
ORDER BY
    multiIf({sort:String} = 'revenue_12m', toFloat64(revenue_12m), {sort:String} = 'revenue_total', toFloat64(revenue_total), {sort:String} = 'orders_12m', toFloat64(orders_12m), 0) DESC,
    if({sort:String} = 'name', name, '') ASC,
    account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
