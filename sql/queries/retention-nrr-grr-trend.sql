-- NRR and GRR by month end (analytics/retention/nrr.ts, nrrGrrTrend) from the month rows of one
-- refresh, for {months} months starting with {first_month}. Calendar-month windows: for month m
-- the current window is months m − 11 … m and the base window m − 23 … m − 12 (the as-of month
-- counts to date). Per account, the revenue of both windows of every month at once (arrays
-- indexed by month), then per month: base accounts (base revenue > 0), their base, current and
-- capped revenue, and how many churned (no current revenue), contracted, expanded or stayed flat.
-- Months without base accounts are absent. Filters and scope as everywhere.
WITH per_account AS
(
    SELECT
        account_id,
        sumForEach(arrayMap(i -> revenue * (k >= toInt32(i) - 11 AND k <= toInt32(i)), range({months:UInt32}))) AS cur,
        sumForEach(arrayMap(i -> revenue * (k >= toInt32(i) - 23 AND k <= toInt32(i) - 12), range({months:UInt32}))) AS base
    FROM
    (
        SELECT account_id, revenue, toInt32(dateDiff('month', {first_month:Date}, period)) AS k
        FROM account_periods
        WHERE refresh_id = {refresh_id:String}
          AND grain = 'month'
          AND period >= addMonths({first_month:Date}, -23)
          AND period < addMonths({first_month:Date}, {months:UInt32})
          AND {{account-filter}}
    )
    GROUP BY account_id
)
SELECT
    toString(addMonths({first_month:Date}, i - 1)) AS month,
    count() AS base_accounts,
    sum(b) AS base_revenue,
    sum(c) AS current_revenue,
    sum(least(c, b)) AS capped_revenue,
    countIf(c <= 0) AS churned,
    countIf(c > 0 AND c < b) AS contracted,
    countIf(c > b) AS expanded,
    countIf(c = b) AS flat
FROM per_account
ARRAY JOIN cur AS c, base AS b, arrayEnumerate(cur) AS i
WHERE b > 0
GROUP BY i
ORDER BY i
