-- Per-account purchase summary as of {as_of} for the LTV models (analytics/ltv/refresh.ts), counted
-- as the published BG/NBD fits count (analytics/ltv/calibration-summary.ts):
-- - counted orders: status in {statuses} (the revenue statuses), in the reporting {currency},
--   on or before {as_of} by the local calendar day in {tz};
-- - one customer's orders on one local day are one purchase, their amounts summed;
-- - x = purchase days − 1, tx_days = last − first, T_days = as_of − first (whole days; the models
--   use weeks, days / 7); m_x = mean revenue of the repeat purchase days (the first excluded),
--   NULL when x = 0.
-- Also, to date: revenue; gross_profit for the historical LTV, per order from the cost of goods
-- (Σ quantity × products.unit_cost over its lines, as a share of the lines' net amount, applied to
-- the order's net amount) when every line's product has a unit cost, else the order's net amount ×
-- {margin}; and the median gap between purchase days, for "next order due" (last purchase day +
-- median gap) and "overdue" (more than {overdue_factor} × the median gap since the last purchase,
-- the early-warning rule of METRICS.md). Cost is today's unit cost: products carry no history.
WITH
    order_cost AS
    (
        SELECT
            l.order_id AS order_id,
            if(countIf(p.unit_cost > 0) = count(), sum(toFloat64(l.quantity) * toFloat64(p.unit_cost)), NULL) AS cost,
            sum(toFloat64(l.net_amount)) AS lines_net
        FROM order_lines AS l FINAL
        -- Unmatched SKUs read unit_cost 0 (join_use_nulls is off): no cost known.
        LEFT JOIN (SELECT sku, unit_cost FROM products FINAL) AS p ON p.sku = l.sku
        GROUP BY l.order_id
    ),
    purchase_days AS
    (
        SELECT
            o.account_id AS account_id,
            toDate(o.ordered_at, {tz:String}) AS day,
            sum(o.net_amount) AS revenue,
            sum(toFloat64(o.net_amount) * coalesce(1 - c.cost / nullIf(c.lines_net, 0), {margin:Float64})) AS gross_profit
        FROM orders AS o FINAL
        LEFT JOIN order_cost AS c ON c.order_id = o.order_id
        WHERE o.status IN {statuses:Array(String)}
          AND o.currency = {currency:String}
          AND toDate(o.ordered_at, {tz:String}) <= {as_of:Date}
        GROUP BY account_id, day
    ),
    per_account AS
    (
        SELECT
            account_id,
            count() AS days,
            min(day) AS first_day,
            max(day) AS last_day,
            sum(revenue) AS total_revenue,
            argMin(revenue, day) AS first_revenue,
            sum(gross_profit) AS total_gross_profit,
            arraySort(arrayPopFront(arrayDifference(arraySort(groupArray(toInt32(day)))))) AS gaps
        FROM purchase_days
        GROUP BY account_id
    )
SELECT
    account_id,
    toUInt32(days - 1) AS x,
    toUInt32(dateDiff('day', first_day, last_day)) AS tx_days,
    toUInt32(dateDiff('day', first_day, {as_of:Date})) AS T_days,
    if(days > 1, toFloat64(total_revenue - first_revenue) / (days - 1), NULL) AS m_x,
    total_revenue AS revenue,
    toDecimal128(round(total_gross_profit, 2), 2) AS gross_profit,
    first_day AS first_purchase,
    last_day AS last_purchase,
    if(days > 1, (gaps[intDiv(days, 2)] + gaps[intDiv(days + 1, 2)]) / 2, NULL) AS median_gap_days,
    if(days > 1, last_day + toInt32(round(median_gap_days)), NULL) AS next_order_due,
    toUInt8(days > 1 AND dateDiff('day', last_day, {as_of:Date}) > {overdue_factor:Float64} * median_gap_days) AS overdue
FROM per_account
-- Sorted, so that a refresh of the same data samples the same customers for its fit.
ORDER BY account_id
