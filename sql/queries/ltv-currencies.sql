-- The currencies of the counted orders and the subscriptions on or before {as_of}, most used
-- first: the LTV refresh needs exactly one (amounts are never summed across currencies).
SELECT currency, count() AS n
FROM
(
    SELECT currency FROM orders FINAL
    WHERE status IN {statuses:Array(String)} AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
    UNION ALL
    SELECT currency FROM subscriptions FINAL WHERE start_date <= {as_of:Date}
)
GROUP BY currency
ORDER BY n DESC, currency
