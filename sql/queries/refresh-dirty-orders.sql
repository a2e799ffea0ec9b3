-- Incremental refresh (analytics/refresh/incremental.ts): the accounts whose counted purchases
-- (account_days) or products (account_products) as of {as_of} can differ from those of refresh
-- {previous} as of {previous_as_of}; every other account's facts are copied from {previous}.
-- "New" rows are rows of ingest runs that had not finished when {previous} started
-- (analytics_refresh_runs): every version still stored, so both the old and the new account of a
-- moved order, and snapshot-mode tombstones, which carry the deleted row's account.
INSERT INTO refresh_dirty_accounts (refresh_id, scope, account_id)
WITH seen AS (SELECT run_id FROM analytics_refresh_runs WHERE refresh_id = {previous:String})
SELECT {refresh_id:String}, 'orders', account_id
FROM
(
    -- orders written by new runs
    SELECT account_id FROM orders WHERE _run_id NOT IN seen
    UNION ALL
    -- accounts of stored orders new runs replaced (that version may be merged away by now)
    SELECT account_id FROM ingest_replaced_accounts WHERE entity = 'orders' AND run_id NOT IN seen
    UNION ALL
    -- the orders of lines written by new runs (a line never moves to another order)
    SELECT account_id FROM orders
    WHERE order_id IN (SELECT order_id FROM order_lines WHERE _run_id NOT IN seen)
    UNION ALL
    -- orders on the local days after {previous_as_of} through {as_of}
    SELECT account_id FROM orders
    WHERE toDate(ordered_at, {tz:String}) > {previous_as_of:Date}
      AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
)
GROUP BY account_id
