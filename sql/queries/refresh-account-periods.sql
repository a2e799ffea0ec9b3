-- Refresh step "base" (analytics/refresh/base.ts): activity per account and {grain} (month or
-- week) through {as_of}, for accounts of this refresh's snapshot that have a first activity (for
-- weeks only those whose first activity is within the 52 weeks before {as_of}). A period's row
-- holds its counted orders and revenue (reporting {currency}, local days in {tz}) and whether the
-- account was active in it under {business_model}: a counted order (orders, both), or a
-- subscription active on any day of it (subscriptions, both). Orders come from account_days. Periods before the cohort (revenue
-- of a subscriptions-model account before its first subscription) are left out.
INSERT INTO account_periods
WITH
    {grain:String} = 'week' AS weekly,
    snap AS
    (
        SELECT
            account_id, segment, region, industry, acquisition_channel, owner_email, team, tier, categories,
            if(weekly, toMonday(assumeNotNull(first_activity)), toStartOfMonth(assumeNotNull(first_activity))) AS cohort
        FROM account_snapshot
        WHERE refresh_id = {refresh_id:String}
          AND first_activity IS NOT NULL
          AND (NOT weekly OR first_activity > subtractWeeks({as_of:Date}, 52))
    ),
    order_periods AS
    (
        SELECT
            account_id,
            if(weekly, toMonday(day), toStartOfMonth(day)) AS period,
            sum(orders) AS orders,
            sum(revenue) AS revenue
        FROM account_days
        WHERE refresh_id = {refresh_id:String}
          AND (NOT weekly OR day > subtractWeeks({as_of:Date}, 53))
          AND account_id IN (SELECT account_id FROM snap)
        GROUP BY account_id, period
    ),
    sub_periods AS
    (
        SELECT DISTINCT
            account_id,
            arrayJoin(
                if(weekly,
                    arrayMap(i -> addWeeks(toMonday(start_date), i),
                        range(toUInt32(dateDiff('week', toMonday(start_date), toMonday(least(ifNull(end_date, {as_of:Date}), {as_of:Date}))) + 1))),
                    arrayMap(i -> addMonths(toStartOfMonth(start_date), i),
                        range(toUInt32(dateDiff('month', toStartOfMonth(start_date), toStartOfMonth(least(ifNull(end_date, {as_of:Date}), {as_of:Date}))) + 1))))
            ) AS period
        FROM subscriptions FINAL
        WHERE {business_model:String} != 'orders'
          AND start_date <= {as_of:Date}
          AND account_id IN (SELECT account_id FROM snap)
    ),
    merged AS
    (
        SELECT account_id, period, sum(orders) AS orders, sum(revenue) AS revenue, max(sub) AS sub
        FROM
        (
            SELECT account_id, period, orders, revenue, 0 AS sub FROM order_periods
            UNION ALL
            SELECT account_id, period, 0, toDecimal128(0, 2), 1 FROM sub_periods
        )
        GROUP BY account_id, period
    )
SELECT
    {refresh_id:String} AS refresh_id,
    {grain:String} AS grain,
    m.period AS period,
    s.cohort AS cohort,
    m.account_id AS account_id,
    m.orders AS orders,
    m.revenue AS revenue,
    toUInt8(({business_model:String} != 'subscriptions' AND m.orders > 0) OR ({business_model:String} != 'orders' AND m.sub = 1)) AS active,
    s.segment, s.region, s.industry, s.acquisition_channel, s.owner_email, s.team, s.tier, s.categories
FROM merged AS m
INNER JOIN snap AS s ON s.account_id = m.account_id
WHERE m.period >= s.cohort
