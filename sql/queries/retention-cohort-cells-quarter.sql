-- Quarterly cohort matrix cells of one refresh (analytics/retention/cohorts.ts, cohortRetention),
-- as retention-cohort-cells.sql does months and weeks: read from the month rows, a quarter's cell
-- counts an account once if it has any row in the quarter (its quarter_first row) and is active
-- if any month of the quarter is (its quarter_active_first row); revenue is the quarter's sum.
-- The flags (0014_period_quarter_flags.sql) make this a plain count, as fast as months.
SELECT
    toString(c) AS cohort,
    toUInt32(k) AS period_index,
    countIf(quarter_first = 1) AS accounts,
    countIf(quarter_active_first = 1) AS active_accounts,
    sum(revenue) AS revenue
FROM
(
    SELECT
        quarter_first,
        quarter_active_first,
        revenue,
        toStartOfQuarter(cohort) AS c,
        dateDiff('quarter', toStartOfQuarter(cohort), toStartOfQuarter(period)) AS k
    FROM account_periods
    WHERE refresh_id = {refresh_id:String}
      AND grain = 'month'
      AND {{account-filter}}
)
WHERE k <= {max_periods:UInt32}
GROUP BY c, k
ORDER BY c, k
