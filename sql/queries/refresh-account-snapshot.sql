-- Refresh step "base" (analytics/refresh/base.ts): every CRM account's state as of {as_of}
-- (columns documented in 0007_analytics_base.sql). Counted orders come from account_days (status
-- in the revenue statuses, the reporting {currency}, local days in {tz} through {as_of}). Subscriptions count from
-- their start; one without an end is open-ended. {business_model} (orders | subscriptions | both)
-- says which activity counts (METRICS.md, "Active in period p" and "Churned as of D"):
-- - orders side: churned when the last counted order is {churn_days} or more days before D
--   (no order in the {churn_days} days before D); churn day = last order + {churn_days};
-- - subscriptions side: churned when none is active on D and the last ended more than
--   {grace_days} days before D; churn day = last end + {grace_days};
-- - both: churned when every side the account has is churned; the churn day is the later one.
-- Accounts without any activity are neither active nor churned (lifecycle "potential").
INSERT INTO account_snapshot
WITH
    order_stats AS
    (
        SELECT
            account_id,
            min(day) AS first_order,
            max(day) AS last_order,
            sum(orders) AS orders_total,
            sum(revenue) AS revenue_total,
            sumIf(orders, day > addMonths({as_of:Date}, -12)) AS orders_12m,
            sumIf(revenue, day > addMonths({as_of:Date}, -12)) AS revenue_12m,
            sumIf(revenue, day > addMonths({as_of:Date}, -24) AND day <= addMonths({as_of:Date}, -12)) AS revenue_prev_12m,
            sumIf(revenue, day > addMonths({as_of:Date}, -6)) AS revenue_6m,
            sumIf(revenue, day > addMonths({as_of:Date}, -12) AND day <= addMonths({as_of:Date}, -6)) AS revenue_prev_6m,
            toUInt8(
                (countIf(day > addMonths({as_of:Date}, -3)) > 0)
                + (countIf(day > addMonths({as_of:Date}, -6) AND day <= addMonths({as_of:Date}, -3)) > 0)
                + (countIf(day > addMonths({as_of:Date}, -9) AND day <= addMonths({as_of:Date}, -6)) > 0)
                + (countIf(day > addMonths({as_of:Date}, -12) AND day <= addMonths({as_of:Date}, -9)) > 0)
            ) AS repurchase_quarters
        FROM account_days
        WHERE refresh_id = {refresh_id:String}
        GROUP BY account_id
    ),
    sub_stats AS
    (
        SELECT
            account_id,
            min(start_date) AS first_start,
            max(end_date IS NULL OR end_date >= {as_of:Date}) AS sub_active,
            sumIf(mrr, (end_date IS NULL OR end_date >= {as_of:Date}) AND currency = {currency:String}) AS mrr,
            if(countIf(end_date IS NULL) > 0, NULL, max(assumeNotNull(end_date))) AS last_end
        FROM subscriptions FINAL
        WHERE start_date <= {as_of:Date}
        GROUP BY account_id
    ),
    cats AS
    (
        SELECT account_id, arraySort(groupUniqArrayIf(category, category != '')) AS categories
        FROM account_products
        WHERE refresh_id = {refresh_id:String}
        GROUP BY account_id
    ),
    joined AS
    (
        SELECT
            a.account_id AS account_id,
            a.name AS name,
            a.segment AS segment,
            a.region AS region,
            a.industry AS industry,
            a.acquisition_channel AS acquisition_channel,
            a.owner_email AS owner_email,
            ow.team AS team,
            ow.manager_email AS manager_email,
            toDate(a.created_at, {tz:String}) AS created_day,
            c.categories AS categories,
            o.account_id != '' AS has_orders,
            if(has_orders, o.first_order, NULL) AS first_order,
            if(has_orders, o.last_order, NULL) AS last_order,
            o.orders_total AS orders_total,
            o.revenue_total AS revenue_total,
            o.orders_12m AS orders_12m,
            o.revenue_12m AS revenue_12m,
            o.revenue_prev_12m AS revenue_prev_12m,
            o.revenue_6m AS revenue_6m,
            o.revenue_prev_6m AS revenue_prev_6m,
            o.repurchase_quarters AS repurchase_quarters,
            s.account_id != '' AS has_sub,
            if(has_sub, s.first_start, NULL) AS first_start,
            has_sub AND s.sub_active = 1 AS sub_active,
            s.mrr AS mrr,
            if(has_sub, s.last_end, NULL) AS last_end,
            -- Which sides count under the business model.
            {business_model:String} != 'subscriptions' AND has_orders AS orders_side,
            {business_model:String} != 'orders' AND has_sub AS subs_side,
            orders_side AND last_order <= subtractDays({as_of:Date}, {churn_days:UInt32}) AS orders_churned,
            subs_side AND NOT sub_active AND last_end IS NOT NULL
                AND addDays(assumeNotNull(last_end), {grace_days:UInt32}) < {as_of:Date} AS subs_churned
        FROM (SELECT * FROM accounts FINAL) AS a
        LEFT JOIN (SELECT owner_email, team, manager_email FROM owners FINAL) AS ow ON ow.owner_email = a.owner_email
        LEFT JOIN order_stats AS o ON o.account_id = a.account_id
        LEFT JOIN sub_stats AS s ON s.account_id = a.account_id
        LEFT JOIN cats AS c ON c.account_id = a.account_id
    )
SELECT
    {refresh_id:String} AS refresh_id,
    {as_of:Date} AS as_of,
    account_id,
    name,
    segment,
    region,
    industry,
    acquisition_channel,
    owner_email,
    team,
    manager_email,
    multiIf(
        revenue_12m >= {tier_a_revenue:Float64} AND repurchase_quarters / 4 > {tier_a_repurchase:Float64}, 'A',
        revenue_12m >= {tier_b_revenue:Float64} OR repurchase_quarters / 4 >= {tier_b_repurchase:Float64}, 'B',
        'C') AS tier,
    categories,
    created_day,
    multiIf(orders_side AND subs_side, least(first_order, first_start), orders_side, first_order, subs_side, first_start, NULL) AS first_activity,
    first_order,
    last_order,
    orders_total,
    revenue_total,
    orders_12m,
    revenue_12m,
    revenue_prev_12m,
    revenue_6m,
    revenue_prev_6m,
    repurchase_quarters,
    toUInt8(has_sub) AS has_subscription,
    toUInt8(sub_active) AS subscription_active,
    mrr,
    last_end AS subscription_end,
    toUInt8((orders_side OR subs_side) AND NOT churned) AS active,
    toUInt8((orders_side OR subs_side) AND (NOT orders_side OR orders_churned) AND (NOT subs_side OR subs_churned)) AS churned,
    if(churned = 1,
        greatest(
            if(orders_side, addDays(assumeNotNull(last_order), {churn_days:UInt32}), toDate('1970-01-01')),
            if(subs_side, addDays(assumeNotNull(last_end), {grace_days:UInt32}), toDate('1970-01-01'))),
        NULL) AS churn_day
FROM joined
