-- One account as of a refresh ({refresh_id}, as of {as_of}) for the portal's account page (the
-- drill-down target of every list): its snapshot, health (score, band, components, what is
-- missing), RFM segment and lifecycle stage, and the LTV of the latest LTV fit of that date.
-- Empty when the account is unknown or outside the scope ({{account-filter}}): the page answers
-- 404 either way, so a URL does not reveal whether an account exists.
SELECT
    s.account_id AS account_id, s.name AS name, s.segment AS segment, s.region AS region,
    s.industry AS industry, s.acquisition_channel AS channel, s.owner_email AS owner_email,
    s.team AS team, s.manager_email AS manager_email, s.tier AS tier, s.categories AS categories,
    toString(s.first_activity) AS first_activity, toString(s.last_order) AS last_order,
    s.orders_total AS orders_total, toString(s.revenue_total) AS revenue_total,
    s.orders_12m AS orders_12m, toString(s.revenue_12m) AS revenue_12m,
    toString(s.revenue_prev_12m) AS revenue_prev_12m, s.repurchase_quarters AS repurchase_quarters,
    s.subscription_active AS subscription_active, toString(s.mrr) AS mrr,
    toString(s.subscription_end) AS subscription_end,
    s.active AS active, s.churned AS churned, toString(s.churn_day) AS churn_day,
    h.score AS health_score, if(h.account_id = '', 'none', h.band) AS health_band,
    h.recency_score AS recency_score, h.spend_score AS spend_score, h.usage_score AS usage_score,
    h.support_score AS support_score, h.sentiment_score AS sentiment_score,
    h.payment_score AS payment_score, h.relationship_score AS relationship_score,
    h.weights AS health_weights, h.missing AS health_missing,
    g.rfm_segment AS rfm_segment, g.r_score AS r_score, g.f_score AS f_score, g.m_score AS m_score,
    g.stage AS lifecycle_stage,
    l.p_alive AS p_alive, l.ltv_12m_predicted AS ltv_12m_predicted,
    if(l.account_id = '', NULL, toString(l.ltv_historical)) AS ltv_historical, l.ltv_contractual AS ltv_contractual,
    toString(l.next_order_due) AS next_order_due, l.overdue AS next_order_overdue
FROM
(
    SELECT * FROM account_snapshot
    WHERE refresh_id = {refresh_id:String} AND account_id = {account_id:String} AND {{account-filter}}
) AS s
LEFT JOIN (SELECT * FROM health_scores WHERE refresh_id = {refresh_id:String} AND account_id = {account_id:String}) AS h
    ON h.account_id = s.account_id
LEFT JOIN (SELECT * FROM account_segments WHERE refresh_id = {refresh_id:String} AND account_id = {account_id:String}) AS g
    ON g.account_id = s.account_id
LEFT JOIN
(
    SELECT * FROM account_ltv
    WHERE as_of = {as_of:Date} AND account_id = {account_id:String}
      AND fit_id = (SELECT argMax(fit_id, created_at) FROM ltv_fits WHERE as_of = {as_of:Date})
) AS l ON l.account_id = s.account_id
