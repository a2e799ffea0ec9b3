-- Per tier (A, B, C) of refresh {refresh_id}, within the account filters and the caller's scope:
-- accounts and their trailing-12-month revenue, with the totals for the shares. Tiers without
-- accounts have no row.
SELECT
    tier,
    count() AS accounts,
    toString(sum(revenue_12m)) AS revenue,
    sum(count()) OVER () AS total_accounts,
    toString(sum(sum(revenue_12m)) OVER ()) AS total_revenue
FROM account_snapshot
WHERE refresh_id = {refresh_id:String}
  AND {{account-filter}}
GROUP BY tier
