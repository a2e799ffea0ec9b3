-- The accounts behind one cohort cell (analytics/retention/cohorts.ts, cohortCellAccounts), for
-- the portal's click-through and worklists: accounts of the cohort (first activity in
-- [{cohort_from}, {cohort_to})) that were active ({active} = true) or not (lapsed) in the cell's
-- period [{period_from}, {period_to}), with their revenue in it, largest first. Rows of {grain}
-- ('week' or 'month'; quarters are ranges of months), filters and scope as everywhere; {total}
-- counts the rows before paging.
WITH members AS
(
    SELECT
        account_id,
        maxIf(active, period >= {period_from:Date} AND period < {period_to:Date}) AS cell_active,
        sumIf(revenue, period >= {period_from:Date} AND period < {period_to:Date}) AS cell_revenue
    FROM account_periods
    WHERE refresh_id = {refresh_id:String}
      AND grain = {grain:String}
      AND cohort >= {cohort_from:Date}
      AND cohort < {cohort_to:Date}
      AND {{account-filter}}
    GROUP BY account_id
)
SELECT
    m.account_id AS account_id,
    s.name AS name,
    s.owner_email AS owner_email,
    s.segment AS segment,
    m.cell_revenue AS revenue,
    count() OVER () AS total
FROM members AS m
INNER JOIN
(
    SELECT account_id, name, owner_email, segment
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
) AS s ON s.account_id = m.account_id
WHERE m.cell_active = {active:Bool}
ORDER BY m.cell_revenue DESC, m.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
