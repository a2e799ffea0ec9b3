-- Writes one LTV refresh's account_ltv rows (analytics/ltv/refresh.ts): every account JavaScript
-- valued ({scores}, ltv-refresh-scores-table.sql), with its purchase history from the refresh's
-- summary ({summary}: ltv-summary.sql as of {as_of}, kept in a scratch table). A subscription account
-- without a counted order has no summary row (found = 0): its x, t_x, T, m_x and last order are
-- NULL, its revenue and historical LTV 0. A subscription account's cohort is the month of its
-- first order or first subscription, whichever came first; next order due and overdue are only
-- for accounts valued with the purchase models. x, t_x and T in weeks (days / 7).
INSERT INTO account_ltv
(
    as_of, account_id, fit_id, model, currency, cohort_month, x, t_x, T, m_x, revenue, p_alive,
    exp_tx_4w, exp_tx_13w, exp_tx_52w, exp_avg_value, ltv_12m_predicted, ltv_historical,
    ltv_contractual, mrr, last_order_date, next_order_due, overdue, computed_at
)
SELECT
    {as_of:Date},
    m.account_id,
    {fit_id:String},
    m.model,
    {currency:String},
    toStartOfMonth(multiIf(
        m.model = 'orders', s.first_purchase,
        s.found AND s.first_purchase < assumeNotNull(m.first_start), s.first_purchase,
        assumeNotNull(m.first_start))),
    if(s.found, s.x, NULL),
    if(s.found, s.tx_days / 7, NULL),
    if(s.found, s.T_days / 7, NULL),
    s.m_x,
    s.revenue,
    m.p_alive,
    m.exp_tx_4w,
    m.exp_tx_13w,
    m.exp_tx_52w,
    m.exp_avg_value,
    m.ltv_12m_predicted,
    s.gross_profit,
    m.ltv_contractual,
    m.mrr,
    if(s.found, s.last_purchase, NULL),
    if(m.model = 'orders', s.next_order_due, NULL),
    if(m.model = 'orders', s.overdue, 0),
    {computed_at:DateTime64(3, 'UTC')}
FROM {scores:Identifier} AS m
-- Without a match the columns read their defaults (join_use_nulls is off): found 0, revenue and
-- gross profit 0, m_x and next order due NULL (Nullable).
LEFT JOIN (SELECT *, 1 AS found FROM {summary:Identifier}) AS s ON s.account_id = m.account_id
