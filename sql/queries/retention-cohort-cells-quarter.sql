-- Quarterly cohort matrix cells of one refresh (analytics/retention/cohorts.ts, cohortRetention),
-- as retention-cohort-cells.sql does months and weeks: read from the month rows, a quarter's cell
-- is an account active in any of its months, hence a distinct count of accounts (the reason this
-- grain has its own statement: the plain count of the others never reads account_id). Distinct
-- 64-bit hashes of the ids, not the ids: 4× faster at 11M rows, and a collision among a million
-- accounts has a probability of about 3·10⁻⁸.
SELECT
    toString(c) AS cohort,
    toUInt32(k) AS period_index,
    uniqExact(cityHash64(account_id)) AS accounts,
    uniqExactIf(cityHash64(account_id), active = 1) AS active_accounts,
    sum(revenue) AS revenue
FROM
(
    SELECT
        account_id,
        active,
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
