-- Refresh step "base" (analytics/refresh/base.ts): counted purchases per account and local day
-- through {as_of}: status in {statuses}, the reporting {currency}, days in {tz}. The one read of
-- `orders` every later step builds on. With {dirty_scope} set (an incremental refresh), only for
-- the accounts of refresh_dirty_accounts in that scope (analytics/refresh/incremental.ts): their
-- orders are found first, so the FINAL read merges only the granules that hold them.
INSERT INTO account_days (refresh_id, account_id, day, orders, revenue)
WITH dirty AS
(
    SELECT account_id FROM refresh_dirty_accounts
    WHERE refresh_id = {refresh_id:String} AND scope = {dirty_scope:String}
)
SELECT
    {refresh_id:String},
    account_id,
    toDate(ordered_at, {tz:String}) AS day,
    count(),
    sum(net_amount)
FROM orders FINAL
WHERE status IN {statuses:Array(String)}
  AND currency = {currency:String}
  AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
  AND ({dirty_scope:String} = ''
    OR (order_id IN (SELECT order_id FROM orders WHERE account_id IN dirty) AND account_id IN dirty))
GROUP BY account_id, day
