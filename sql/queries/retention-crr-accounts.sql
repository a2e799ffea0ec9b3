-- The accounts behind one CRR number (analytics/retention/crr.ts, crrAccounts) for the period
-- [{from}, {to}) whose previous period is [{prev_from}, {from}): {kind} 'start' (S: active in the
-- previous period), 'active' (E), 'new' (N: first activity in the period), 'retained' (E − N:
-- active, first activity before the period) or 'lost' (in S, not active in the period); with
-- their revenue in the period, largest first. Month rows; filters and scope as everywhere;
-- {total} counts the rows before paging.
WITH per_account AS
(
    SELECT
        account_id,
        maxIf(active, period >= {from:Date}) AS cur_active,
        maxIf(active, period < {from:Date}) AS prev_active,
        countIf(period = cohort AND period >= {from:Date}) > 0 AS is_new,
        sumIf(revenue, period >= {from:Date}) AS period_revenue
    FROM account_periods
    WHERE refresh_id = {refresh_id:String}
      AND grain = 'month'
      AND period >= {prev_from:Date}
      AND period < {to:Date}
      AND {{account-filter}}
    GROUP BY account_id
)
SELECT
    m.account_id AS account_id,
    s.name AS name,
    s.owner_email AS owner_email,
    s.segment AS segment,
    m.period_revenue AS revenue,
    count() OVER () AS total
FROM per_account AS m
INNER JOIN
(
    SELECT account_id, name, owner_email, segment
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
) AS s ON s.account_id = m.account_id
WHERE multiIf(
    {kind:String} = 'start', m.prev_active = 1,
    {kind:String} = 'active', m.cur_active = 1,
    {kind:String} = 'new', m.is_new,
    {kind:String} = 'retained', m.cur_active = 1 AND NOT m.is_new,
    {kind:String} = 'lost', m.prev_active = 1 AND m.cur_active = 0,
    false)
ORDER BY m.period_revenue DESC, m.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
