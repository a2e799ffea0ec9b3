-- CRR and churn-rate counts per {grain} (month, quarter or year) of one refresh
-- (analytics/retention/crr.ts, crrTrend), for the accounts the filters and scope let through,
-- over periods starting in [{from}, {to}): e = accounts active in the period (any of its months),
-- n = accounts whose first activity (cohort month) falls in it, churned = accounts with a churn
-- day in it (account_churn_events). S of a period is e of the period before, so {from} is one
-- period before the first one shown.
SELECT toString(p) AS period, sum(e) AS e, sum(n) AS n, sum(churned) AS churned
FROM
(
    SELECT
        multiIf({grain:String} = 'month', toStartOfMonth(period),
                {grain:String} = 'quarter', toStartOfQuarter(period),
                toStartOfYear(period)) AS p,
        -- Month rows are one per account and month: a plain count; longer periods count accounts once.
        if({grain:String} = 'month', countIf(active = 1), uniqExactIf(account_id, {grain:String} != 'month' AND active = 1)) AS e,
        countIf(period = cohort) AS n,
        toUInt64(0) AS churned
    FROM account_periods
    WHERE refresh_id = {refresh_id:String}
      AND grain = 'month'
      AND period >= {from:Date}
      AND period < {to:Date}
      AND {{account-filter}}
    GROUP BY p
    UNION ALL
    SELECT
        multiIf({grain:String} = 'month', toStartOfMonth(churn_day),
                {grain:String} = 'quarter', toStartOfQuarter(churn_day),
                toStartOfYear(churn_day)) AS p,
        toUInt64(0),
        toUInt64(0),
        uniqExact(account_id)
    FROM account_churn_events
    WHERE refresh_id = {refresh_id:String}
      AND churn_day >= {from:Date}
      AND churn_day < {to:Date}
      AND {{account-filter}}
    GROUP BY p
)
GROUP BY p
ORDER BY p
