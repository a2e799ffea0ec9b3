-- Refresh step "base" (analytics/refresh/base.ts): what each account bought through {as_of}, per
-- product, from counted orders (status in {statuses}) in the reporting {currency}. Days are local
-- days in {tz}. Lines of a SKU missing from the catalogue keep the category ''. orders: the
-- orders with the SKU on any line, a distinct count of 64-bit hashes of the order ids (a
-- collision among one account's orders of one SKU is out of reach; counting the ids themselves
-- cost ~20 s more at 45M lines, and summing lines per order first ~30 s more). With {dirty_scope}
-- set, only for the accounts of refresh_dirty_accounts in that scope, as in
-- refresh-account-days.sql.
INSERT INTO account_products (refresh_id, account_id, sku, category, first_day, last_day, orders, quantity, revenue)
WITH
    dirty AS
    (
        SELECT account_id FROM refresh_dirty_accounts
        WHERE refresh_id = {refresh_id:String} AND scope = {dirty_scope:String}
    ),
    dirty_orders AS (SELECT order_id FROM orders WHERE account_id IN dirty)
SELECT
    {refresh_id:String},
    o.account_id,
    l.sku,
    any(p.category),
    min(o.day),
    max(o.day),
    uniqExact(cityHash64(l.order_id)),
    sum(l.quantity),
    sum(l.net_amount)
FROM
(
    SELECT order_id, sku, quantity, net_amount FROM order_lines FINAL
    WHERE {dirty_scope:String} = '' OR order_id IN dirty_orders
) AS l
INNER JOIN
(
    SELECT order_id, account_id, toDate(ordered_at, {tz:String}) AS day
    FROM orders FINAL
    WHERE status IN {statuses:Array(String)}
      AND currency = {currency:String}
      AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
      AND ({dirty_scope:String} = '' OR (order_id IN dirty_orders AND account_id IN dirty))
) AS o ON o.order_id = l.order_id
LEFT JOIN (SELECT sku, category FROM products FINAL) AS p ON p.sku = l.sku
GROUP BY o.account_id, l.sku
