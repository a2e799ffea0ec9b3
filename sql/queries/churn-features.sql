-- The churn model's raw features as of D = {as_of} (models/features.ts, models/README.md): one row
-- per account active on D, the same statement for training snapshots and for scoring (one
-- definition, no training/serving skew). Reads only the core tables, and of them only rows dated
-- on or before the local day D in {tz}, so adding later data never changes a row (the leakage test
-- in tests/integration/churn-features.test.ts). Each source is aggregated once per account with a
-- filtered FINAL scan; the aggregates are joined by account_id (no join of raw big tables except
-- order lines to the last 12 months' counted orders, for product breadth).
--
-- Population: accounts active on D by the rule of health-churn-labels.sql (the churn model's
-- labels), evaluated with the data through D: {business_model} orders | subscriptions | both;
-- orders side active when the last counted order ({statuses}, {currency}) is less than
-- {churn_days} days before D; subscriptions side active when a subscription started by D covers D
-- (end + {grace_days}; open-ended for ever). models/training-set.ts checks every training row
-- against the label query's active flag.
--
-- Windows end on D: "90 d" = local days (D − 90, D], "previous 90 d" = (D − 180, D − 90],
-- "180 d" = (D − 180, D], "previous 180 d" = (D − 360, D − 180], "12 months" = (D − 12 months, D],
-- "previous 12 months" = (D − 24 months, D − 12 months].
-- Missing values: counts and sums are 0 when nothing happened; a ratio, mean, latest value or
-- "days since" is NULL when it is undefined (no data); usage features are NULL without any
-- usage_daily row in the 180 d (usage is tracked for some accounts only); categorical features are
-- NULL when empty. The SLA breach, payment and touch rules are shared fragments (sql/fragments/).
SELECT
    account_id, days_since_order, median_gap_days, recency_ratio, orders_90d, orders_12m,
    order_trend_90d, revenue_90d, revenue_12m, revenue_trend_90d, revenue_trend_180d,
    revenue_trend_12m, tenure_days, subscription_active, days_to_renewal, mrr, usage_events_90d,
    usage_trend_90d, tickets_90d, sla_breaches_90d, complaints_90d, csat_90d, nps_latest,
    sentiment_mean_90d, max_days_late, overdue_invoices, days_since_touch, activities_90d,
    other_owners_12m, products_12m, tier, segment, industry, region
FROM
(
    WITH
        -- The end of the local day D as an instant: tickets are judged with what was known then.
        toDateTime(addDays({as_of:Date}, 1), {tz:String}) AS day_end,
        addMonths({as_of:Date}, -12) AS year_ago,
        toDate('2149-01-01') AS open_ended,
        purchases AS
        (
            SELECT
                account_id,
                arraySort(groupUniqArray(day)) AS days,
                min(day) AS first_order,
                max(day) AS last_order,
                countIf(day > subtractDays({as_of:Date}, 90)) AS orders_90d,
                countIf(day > subtractDays({as_of:Date}, 180) AND day <= subtractDays({as_of:Date}, 90)) AS orders_prev_90d,
                countIf(day > year_ago) AS orders_12m,
                toFloat64(sumIf(net_amount, day > subtractDays({as_of:Date}, 90))) AS revenue_90d,
                toFloat64(sumIf(net_amount, day > subtractDays({as_of:Date}, 180) AND day <= subtractDays({as_of:Date}, 90))) AS revenue_prev_90d,
                toFloat64(sumIf(net_amount, day > subtractDays({as_of:Date}, 180))) AS revenue_180d,
                toFloat64(sumIf(net_amount, day > subtractDays({as_of:Date}, 360) AND day <= subtractDays({as_of:Date}, 180))) AS revenue_prev_180d,
                toFloat64(sumIf(net_amount, day > year_ago)) AS revenue_12m,
                toFloat64(sumIf(net_amount, day > addMonths({as_of:Date}, -24) AND day <= year_ago)) AS revenue_prev_12m,
                -- The repurchase rate of the tier rule (refresh-account-snapshot.sql): quarters of the
                -- last 4 with an order.
                (countIf(day > addMonths({as_of:Date}, -3)) > 0)
                    + (countIf(day > addMonths({as_of:Date}, -6) AND day <= addMonths({as_of:Date}, -3)) > 0)
                    + (countIf(day > addMonths({as_of:Date}, -9) AND day <= addMonths({as_of:Date}, -6)) > 0)
                    + (countIf(day > year_ago AND day <= addMonths({as_of:Date}, -9)) > 0) AS repurchase_quarters
            FROM
            (
                SELECT account_id, toDate(ordered_at, {tz:String}) AS day, net_amount
                FROM orders FINAL
                WHERE status IN {statuses:Array(String)}
                  AND currency = {currency:String}
                  AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
            )
            GROUP BY account_id
        ),
        subs AS
        (
            SELECT
                account_id,
                min(start_date) AS first_start,
                max(if(end_date IS NULL, open_ended, addDays(assumeNotNull(end_date), {grace_days:UInt32}))) AS cover_on_d,
                max(end_date IS NULL OR end_date >= {as_of:Date}) AS running,
                toFloat64(sumIf(mrr, (end_date IS NULL OR end_date >= {as_of:Date}) AND currency = {currency:String})) AS mrr,
                countIf(end_date IS NOT NULL AND end_date >= {as_of:Date}) AS ending,
                minIf(assumeNotNull(end_date), end_date IS NOT NULL AND end_date >= {as_of:Date}) AS next_end
            FROM subscriptions FINAL
            WHERE start_date <= {as_of:Date}
            GROUP BY account_id
        ),
        base AS
        (
            SELECT
                if(p.account_id != '', p.account_id, s.account_id) AS account_id,
                p.account_id != '' AS has_orders,
                s.account_id != '' AS has_subs,
                {business_model:String} != 'subscriptions' AND has_orders AS orders_side,
                {business_model:String} != 'orders' AND has_subs AS subs_side,
                p.days AS days,
                p.last_order AS last_order,
                p.orders_90d AS orders_90d,
                p.orders_prev_90d AS orders_prev_90d,
                p.orders_12m AS orders_12m,
                p.revenue_90d AS revenue_90d,
                p.revenue_prev_90d AS revenue_prev_90d,
                p.revenue_180d AS revenue_180d,
                p.revenue_prev_180d AS revenue_prev_180d,
                p.revenue_12m AS revenue_12m,
                p.revenue_prev_12m AS revenue_prev_12m,
                p.repurchase_quarters AS repurchase_quarters,
                multiIf(orders_side AND subs_side, least(p.first_order, s.first_start),
                    orders_side, p.first_order, s.first_start) AS first_activity,
                s.running AS running,
                s.mrr AS mrr,
                s.ending AS ending,
                s.next_end AS next_end
            FROM purchases AS p
            FULL OUTER JOIN subs AS s ON s.account_id = p.account_id
            WHERE (orders_side AND p.last_order > subtractDays({as_of:Date}, {churn_days:UInt32}))
               OR (subs_side AND s.cover_on_d >= {as_of:Date})
        ),
        attrs AS
        (
            SELECT account_id, segment, industry, region, lower(owner_email) AS owner
            FROM accounts FINAL
        ),
        usage AS
        (
            SELECT
                account_id,
                sumIf(toUInt64(key_events), day > subtractDays({as_of:Date}, 90)) AS usage_events_90d,
                sumIf(toUInt64(key_events), day <= subtractDays({as_of:Date}, 90)) AS usage_events_prev_90d
            FROM usage_daily FINAL
            WHERE day > subtractDays({as_of:Date}, 180)
              AND day <= {as_of:Date}
            GROUP BY account_id
        ),
        service AS
        (
            SELECT
                account_id,
                count() AS tickets_90d,
                countIf(breached) AS sla_breaches_90d,
                countIf(ticket_type = 'complaint') AS complaints_90d,
                countIf(csat IS NOT NULL) AS csat_ratings,
                countIf(csat >= 4) AS csat_good,
                avg(sentiment) AS sentiment_mean_90d
            FROM
            (
                SELECT
                    account_id,
                    ticket_type,
                    csat,
                    sentiment,
                    {{ticket-sla-breached}} AS breached
                FROM tickets FINAL
                WHERE toDate(created_at, {tz:String}) > subtractDays({as_of:Date}, 90)
                  AND toDate(created_at, {tz:String}) <= {as_of:Date}
            )
            GROUP BY account_id
        ),
        nps AS
        (
            SELECT account_id, argMax(score, responded_at) AS nps_latest
            FROM survey_responses FINAL
            WHERE survey_type = 'nps'
              AND toDate(responded_at, {tz:String}) > year_ago
              AND toDate(responded_at, {tz:String}) <= {as_of:Date}
            GROUP BY account_id
        ),
        billing AS
        (
            SELECT
                account_id,
                countIf(NOT settled AND due_date < {as_of:Date}) AS overdue_invoices,
                max(days_late) AS max_days_late
            FROM
            (
                {{invoice-lateness}}
            )
            WHERE NOT settled OR due_date > subtractDays({as_of:Date}, 365)
            GROUP BY account_id
        ),
        touches AS
        (
            -- Per account: who touched it (lower-cased e-mail) and when last, then one row per account.
            SELECT account_id, groupArray(toucher) AS touchers, groupArray(last_day) AS last_days, sum(n_90d) AS activities_90d
            FROM
            (
                {{activity-touchers}}
            )
            GROUP BY account_id
        ),
        breadth AS
        (
            -- Joined on 64-bit hashes of the order ids (a collision among ~10M orders is out of
            -- reach): a third less CPU than hashing the id strings at 45M lines.
            SELECT o.account_id AS account_id, uniqExact(l.sku) AS products_12m
            FROM
            (
                SELECT cityHash64(order_id) AS order_key, sku
                FROM order_lines FINAL
                WHERE sku != ''
            ) AS l
            INNER JOIN
            (
                SELECT cityHash64(order_id) AS order_key, account_id
                FROM orders FINAL
                WHERE status IN {statuses:Array(String)}
                  AND currency = {currency:String}
                  AND toDate(ordered_at, {tz:String}) > year_ago
                  AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
            ) AS o ON o.order_key = l.order_key
            GROUP BY account_id
        )
    SELECT
        b.account_id AS account_id,
        -- recency vs the account's own typical interval
        if(b.has_orders, toUInt32(dateDiff('day', b.last_order, {as_of:Date})), NULL) AS days_since_order,
        arraySort(arrayPopFront(arrayDifference(arrayMap(d -> toInt32(d), b.days)))) AS gaps,
        length(gaps) AS n_gaps,
        if(n_gaps = 0, NULL,
            if(n_gaps % 2 = 1, toFloat64(gaps[intDiv(n_gaps, 2) + 1]),
                (gaps[intDiv(n_gaps, 2)] + gaps[intDiv(n_gaps, 2) + 1]) / 2)) AS median_gap_days,
        if(median_gap_days IS NULL, NULL, days_since_order / median_gap_days) AS recency_ratio,
        -- orders and revenue over several windows
        toUInt32(b.orders_90d) AS orders_90d,
        toUInt32(b.orders_12m) AS orders_12m,
        if(b.orders_prev_90d = 0, NULL, b.orders_90d / b.orders_prev_90d) AS order_trend_90d,
        b.revenue_90d AS revenue_90d,
        b.revenue_12m AS revenue_12m,
        if(b.revenue_prev_90d > 0, b.revenue_90d / b.revenue_prev_90d, NULL) AS revenue_trend_90d,
        if(b.revenue_prev_180d > 0, b.revenue_180d / b.revenue_prev_180d, NULL) AS revenue_trend_180d,
        if(b.revenue_prev_12m > 0, b.revenue_12m / b.revenue_prev_12m, NULL) AS revenue_trend_12m,
        toUInt32(dateDiff('day', b.first_activity, {as_of:Date})) AS tenure_days,
        -- subscription state
        toUInt8(b.has_subs AND b.running = 1) AS subscription_active,
        if(b.ending > 0, toUInt32(dateDiff('day', {as_of:Date}, b.next_end)), NULL) AS days_to_renewal,
        b.mrr AS mrr,
        -- usage
        if(u.account_id = '', NULL, u.usage_events_90d) AS usage_events_90d,
        if(u.account_id = '' OR u.usage_events_prev_90d = 0, NULL, u.usage_events_90d / u.usage_events_prev_90d) AS usage_trend_90d,
        -- service and voice of the customer
        toUInt32(sv.tickets_90d) AS tickets_90d,
        toUInt32(sv.sla_breaches_90d) AS sla_breaches_90d,
        toUInt32(sv.complaints_90d) AS complaints_90d,
        if(sv.csat_ratings = 0, NULL, sv.csat_good / sv.csat_ratings) AS csat_90d,
        if(n.account_id = '', NULL, toFloat64(n.nps_latest)) AS nps_latest,
        if(sv.account_id = '', NULL, sv.sentiment_mean_90d) AS sentiment_mean_90d,
        -- payment
        if(bl.account_id = '', NULL, toUInt32(bl.max_days_late)) AS max_days_late,
        toUInt32(bl.overdue_invoices) AS overdue_invoices,
        -- relationship
        arrayFilter((d, w) -> w = a.owner, t.last_days, t.touchers) AS owner_days,
        if(a.owner = '' OR empty(owner_days), NULL, toUInt32(greatest(0, dateDiff('day', arrayMax(owner_days), {as_of:Date})))) AS days_since_touch,
        toUInt32(t.activities_90d) AS activities_90d,
        toUInt32(length(arrayFilter((w, d) -> w != a.owner AND w != '' AND d > year_ago, t.touchers, t.last_days))) AS other_owners_12m,
        -- product breadth
        toUInt32(pb.products_12m) AS products_12m,
        -- categorical
        multiIf(
            b.revenue_12m >= {tier_a_revenue:Float64} AND b.repurchase_quarters / 4 > {tier_a_repurchase:Float64}, 'A',
            b.revenue_12m >= {tier_b_revenue:Float64} OR b.repurchase_quarters / 4 >= {tier_b_repurchase:Float64}, 'B',
            'C') AS tier,
        nullIf(toString(a.segment), '') AS segment,
        nullIf(toString(a.industry), '') AS industry,
        nullIf(toString(a.region), '') AS region
    FROM base AS b
    LEFT JOIN attrs AS a ON a.account_id = b.account_id
    LEFT JOIN usage AS u ON u.account_id = b.account_id
    LEFT JOIN service AS sv ON sv.account_id = b.account_id
    LEFT JOIN nps AS n ON n.account_id = b.account_id
    LEFT JOIN billing AS bl ON bl.account_id = b.account_id
    LEFT JOIN touches AS t ON t.account_id = b.account_id
    LEFT JOIN breadth AS pb ON pb.account_id = b.account_id
)
ORDER BY account_id
