-- Cohort matrix cells of one refresh (analytics/retention/cohorts.ts, cohortRetention), for the
-- accounts the filters and scope let through: per cohort and period index, the accounts of the
-- cohort with any row in the cell, those active in it and their revenue. {grain} is month or
-- week (quarters: retention-cohort-cells-quarter.sql): weeks read the week rows (accounts whose
-- first activity is in the 52 weeks before {as_of}; the oldest week, only partly inside that
-- window, is left out so that no cohort is truncated), months the month rows. Rows are one per
-- account and period, so cells are plain counts (account_id is never read: at 11M rows that
-- halves the scan). Cells up to period index {max_periods}. Only cells with rows are returned;
-- the caller adds the empty past cells and leaves the future out.
SELECT
    toString(cohort) AS cohort,
    toUInt32(k) AS period_index,
    count() AS accounts,
    countIf(active = 1) AS active_accounts,
    sum(revenue) AS revenue
FROM
(
    SELECT
        cohort,
        active,
        revenue,
        if({grain:String} = 'week', intDiv(dateDiff('day', cohort, period), 7), dateDiff('month', cohort, period)) AS k
    FROM account_periods
    WHERE refresh_id = {refresh_id:String}
      AND grain = {grain:String}
      AND ({grain:String} != 'week' OR cohort > subtractWeeks({as_of:Date}, 52))
      AND {{account-filter}}
)
WHERE k <= {max_periods:UInt32}
GROUP BY cohort, k
ORDER BY cohort, k
