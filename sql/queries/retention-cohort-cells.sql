-- Cohort matrix cells of one refresh (analytics/retention/cohorts.ts, cohortRetention), for the
-- accounts the filters and scope let through: per cohort and period index, the accounts of the
-- cohort with any row in the cell, those active in it and their revenue. {grain} is month, week
-- or quarter: weeks read the week rows (accounts whose first activity is in the 52 weeks before
-- {as_of}; the oldest week, only partly inside that window, is left out so that no cohort is
-- truncated), months and quarters the month rows (a quarter's cell is an account active in any
-- of its months, hence a distinct count; month and week rows are one per account and period, so
-- there a plain count, and the distinct count's condition is false for every row, which costs
-- next to nothing). Cells up to period index {max_periods}. Only cells with rows are returned;
-- the caller adds the empty past cells and leaves the future out.
WITH {grain:String} = 'quarter' AS quarterly
SELECT
    toString(c) AS cohort,
    toUInt32(k) AS period_index,
    if(quarterly, uniqExactIf(account_id, quarterly), count()) AS accounts,
    if(quarterly, uniqExactIf(account_id, quarterly AND active = 1), countIf(active = 1)) AS active_accounts,
    sum(revenue) AS revenue
FROM
(
    SELECT
        account_id,
        active,
        revenue,
        if({grain:String} = 'quarter', toStartOfQuarter(cohort), cohort) AS c,
        multiIf(
            {grain:String} = 'week', intDiv(dateDiff('day', cohort, period), 7),
            {grain:String} = 'quarter', dateDiff('quarter', toStartOfQuarter(cohort), toStartOfQuarter(period)),
            dateDiff('month', cohort, period)) AS k
    FROM account_periods
    WHERE refresh_id = {refresh_id:String}
      AND grain = if({grain:String} = 'week', 'week', 'month')
      AND ({grain:String} != 'week' OR cohort > subtractWeeks({as_of:Date}, 52))
      AND {{account-filter}}
)
WHERE k <= {max_periods:UInt32}
GROUP BY c, k
ORDER BY c, k
