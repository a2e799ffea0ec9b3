-- Per lifecycle stage of refresh {refresh_id}, within the account filters and the caller's scope:
-- accounts and their revenue in the last 6 months and the 6 months before, with the total number
-- of accounts for the shares. Stages without accounts have no row.
SELECT
    stage,
    count() AS accounts,
    toString(sum(revenue_6m)) AS revenue_6m,
    toString(sum(revenue_prev_6m)) AS revenue_prev_6m,
    sum(count()) OVER () AS total_accounts
FROM account_segments
WHERE refresh_id = {refresh_id:String}
  AND {{account-filter}}
GROUP BY stage
