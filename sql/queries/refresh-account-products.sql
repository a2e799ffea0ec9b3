-- Refresh step "base" (analytics/refresh/base.ts): what each account bought through {as_of}, per
-- product, from counted orders (status in {statuses}) in the reporting {currency}. Days are local
-- days in {tz}. Lines of a SKU missing from the catalogue keep the category ''. orders: the
-- orders with the SKU on any line, a distinct count of 64-bit hashes of the order ids (a
-- collision among one account's orders of one SKU is out of reach; counting the ids themselves
-- cost ~20 s more at 45M lines, and summing lines per order first ~30 s more).
INSERT INTO account_products (refresh_id, account_id, sku, category, first_day, last_day, orders, quantity, revenue)
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
FROM order_lines AS l FINAL
INNER JOIN
(
    SELECT order_id, account_id, toDate(ordered_at, {tz:String}) AS day
    FROM orders FINAL
    WHERE status IN {statuses:Array(String)}
      AND currency = {currency:String}
      AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
) AS o ON o.order_id = l.order_id
LEFT JOIN (SELECT sku, category FROM products FINAL) AS p ON p.sku = l.sku
GROUP BY o.account_id, l.sku
