-- Revenue concentration (Pareto / Lorenz curve) of refresh {refresh_id}, within the account
-- filters and the caller's scope: over the n accounts with trailing-12-month revenue > 0, sorted
-- by it descending with cumulative sums C(0) = 0, C(i) = the top i accounts' revenue, the share
-- of revenue of the top fraction x of accounts, for each x (0..1) in {shares}, is the curve
-- interpolated linearly between whole accounts: with k = ⌊xn⌋,
-- (C(k) + (xn − k)·(C(k + 1) − C(k))) / C(n) (analytics/segments/pareto-math.ts is the
-- reference). Shares are NULL when n = 0.
SELECT
    accounts,
    revenue,
    arrayMap(x -> toUInt64(floor(x * accounts)), {shares:Array(Float64)}) AS ks,
    arrayMap(
        (x, k) -> if(accounts = 0, NULL,
            (cum[k + 1] + (x * accounts - k) * (cum[least(k + 1, accounts) + 1] - cum[k + 1]))
            / cum[accounts + 1]),
        {shares:Array(Float64)}, ks) AS revenue_shares
FROM
(
    SELECT
        count() AS accounts,
        toString(sum(revenue_12m)) AS revenue,
        -- cum[i + 1] = C(i), the top i accounts' revenue (cum[1] = C(0) = 0).
        arrayPushFront(arrayCumSum(arrayReverseSort(groupArray(toFloat64(revenue_12m)))), 0) AS cum
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
      AND revenue_12m > 0
      AND {{account-filter}}
)
