-- Refresh step "base" (analytics/refresh/base.ts): counted purchases per account and local day
-- through {as_of}: status in {statuses}, the reporting {currency}, days in {tz}. The one read of
-- `orders` every later step builds on.
INSERT INTO account_days (refresh_id, account_id, day, orders, revenue)
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
GROUP BY account_id, day
