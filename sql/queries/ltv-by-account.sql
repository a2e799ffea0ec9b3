-- Per-account LTV of one refresh ({as_of}, {fit_id}) with the account's CRM attributes, for the
-- portal's account lists and `tenure export ltv`. Scope: {all_accounts} or the listed
-- {account_ids}. Filters: an empty string (or {overdue_only} = false) means "any". Sort keys come
-- from an allow-list in analytics/ltv/datasets.ts: a measure, descending (accounts without a value
-- last), or the account id alone (the measure is then NULL for every row).
-- No FINAL: a refresh writes each (as_of, account_id) once under its fit_id, so one fit_id's rows
-- have no duplicates to collapse.
SELECT
    l.account_id AS account_id,
    a.name AS name,
    a.segment AS segment,
    a.region AS region,
    a.industry AS industry,
    l.model AS model,
    l.currency AS currency,
    toString(l.cohort_month) AS cohort_month,
    l.x AS x,
    l.t_x AS t_x,
    l.T AS T,
    l.m_x AS m_x,
    l.revenue AS revenue,
    l.p_alive AS p_alive,
    l.exp_tx_4w AS exp_tx_4w,
    l.exp_tx_13w AS exp_tx_13w,
    l.exp_tx_52w AS exp_tx_52w,
    l.exp_avg_value AS exp_avg_value,
    l.ltv_12m_predicted AS ltv_12m_predicted,
    l.ltv_historical AS ltv_historical,
    l.ltv_contractual AS ltv_contractual,
    l.mrr AS mrr,
    toString(l.last_order_date) AS last_order_date,
    toString(l.next_order_due) AS next_order_due,
    l.overdue AS overdue
FROM account_ltv AS l
LEFT JOIN (SELECT account_id, name, segment, region, industry FROM accounts FINAL) AS a
    ON a.account_id = l.account_id
WHERE l.as_of = {as_of:Date}
  AND l.fit_id = {fit_id:String}
  AND ({all_accounts:Bool} OR l.account_id IN {account_ids:Array(String)})
  AND ({segment:String} = '' OR a.segment = {segment:String})
  AND ({region:String} = '' OR a.region = {region:String})
  AND ({industry:String} = '' OR a.industry = {industry:String})
  AND ({model:String} = '' OR l.model = {model:String})
  AND (NOT {overdue_only:Bool} OR l.overdue = 1)
ORDER BY
    multiIf(
        {sort:String} = 'ltv_12m_predicted', l.ltv_12m_predicted,
        {sort:String} = 'ltv_historical', toFloat64(l.ltv_historical),
        {sort:String} = 'ltv_contractual', l.ltv_contractual,
        {sort:String} = 'p_alive', l.p_alive,
        NULL) DESC NULLS LAST,
    l.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
