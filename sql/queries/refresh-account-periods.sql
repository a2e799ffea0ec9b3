-- Refresh step "base" (analytics/refresh/base.ts): activity per account and {grain} (month or
-- week) through {as_of}, for accounts of this refresh's snapshot that have a first activity (for
-- weeks only those whose first activity is within the 52 weeks before {as_of}). A period's row
-- holds its counted orders and revenue (from account_days: reporting {currency}, local days) and
-- whether the account was active in it under {business_model}: a counted order (orders, both), or
-- a subscription active on any day of it (subscriptions, both). Periods before the cohort
-- (revenue of a subscriptions-model account before its first subscription) are left out. Month
-- rows carry quarter flags (0014_period_quarter_flags.sql).
-- Built per account, not per row: each account's order periods and subscription periods are
-- gathered into arrays, joined to its snapshot row once (1M rows, not 11M), and only then
-- expanded into one row per period. Joining the period rows themselves to the snapshot spent
-- ~25 s of 29 at 20M orders copying the account's attributes into every row through a hash join.
-- With {dirty_scope} set (an incremental refresh), only for the accounts of refresh_dirty_accounts
-- in that scope (analytics/refresh/incremental.ts).
INSERT INTO account_periods (refresh_id, grain, period, cohort, account_id, orders, revenue, active, segment, region, industry, acquisition_channel, owner_email, team, tier, categories, quarter_first, quarter_active_first)
WITH
    {grain:String} = 'week' AS weekly,
    {dirty_scope:String} = '' AS every_account,
    dirty AS
    (
        SELECT account_id FROM refresh_dirty_accounts
        WHERE refresh_id = {refresh_id:String} AND scope = {dirty_scope:String}
    ),
    order_periods AS
    (
        SELECT
            account_id,
            groupArray(period) AS o_periods,
            groupArray(orders) AS o_orders,
            groupArray(revenue) AS o_revenue
        FROM
        (
            SELECT
                account_id,
                if(weekly, toMonday(day), toStartOfMonth(day)) AS period,
                sum(orders) AS orders,
                sum(revenue) AS revenue
            FROM account_days
            WHERE refresh_id = {refresh_id:String}
              AND (NOT weekly OR day > subtractWeeks({as_of:Date}, 53))
              AND (every_account OR account_id IN dirty)
            GROUP BY account_id, period
        )
        GROUP BY account_id
    ),
    sub_periods AS
    (
        SELECT
            account_id,
            arrayDistinct(arrayFlatten(groupArray(
                if(weekly,
                    arrayMap(i -> addWeeks(toMonday(start_date), i),
                        range(toUInt32(dateDiff('week', toMonday(start_date), toMonday(least(ifNull(end_date, {as_of:Date}), {as_of:Date}))) + 1))),
                    arrayMap(i -> addMonths(toStartOfMonth(start_date), i),
                        range(toUInt32(dateDiff('month', toStartOfMonth(start_date), toStartOfMonth(least(ifNull(end_date, {as_of:Date}), {as_of:Date}))) + 1))))
            ))) AS s_periods
        FROM subscriptions FINAL
        WHERE {business_model:String} != 'orders'
          AND start_date <= {as_of:Date}
          AND (NOT weekly OR ifNull(end_date, {as_of:Date}) > subtractWeeks({as_of:Date}, 53))
          AND (every_account OR account_id IN dirty)
        GROUP BY account_id
    ),
    per_account AS
    (
        SELECT
            s.account_id AS account_id,
            s.segment AS segment, s.region AS region, s.industry AS industry,
            s.acquisition_channel AS acquisition_channel, s.owner_email AS owner_email,
            s.team AS team, s.tier AS tier, s.categories AS categories,
            if(weekly, toMonday(assumeNotNull(s.first_activity)), toStartOfMonth(assumeNotNull(s.first_activity))) AS cohort,
            o.o_periods AS o_periods,
            o.o_orders AS o_orders,
            o.o_revenue AS o_revenue,
            p.s_periods AS s_periods,
            arrayFilter(x -> x >= cohort, arraySort(arrayDistinct(arrayConcat(o.o_periods, p.s_periods)))) AS periods,
            arrayMap(x -> toUInt8(({business_model:String} != 'subscriptions' AND o_orders[indexOf(o_periods, x)] > 0)
                OR ({business_model:String} != 'orders' AND has(s_periods, x))), periods) AS actives,
            -- Month rows only: the first row, and the first active row, of each quarter. Periods
            -- are sorted and a quarter has three months, so two rows back is far enough.
            arrayMap((x, i) -> toUInt8(NOT weekly
                AND (i = 1 OR toStartOfQuarter(periods[i - 1]) != toStartOfQuarter(x))), periods, arrayEnumerate(periods)) AS quarter_firsts,
            arrayMap((x, i) -> toUInt8(NOT weekly AND actives[i] = 1
                AND NOT (i > 1 AND actives[i - 1] = 1 AND toStartOfQuarter(periods[i - 1]) = toStartOfQuarter(x))
                AND NOT (i > 2 AND actives[i - 2] = 1 AND toStartOfQuarter(periods[i - 2]) = toStartOfQuarter(x))),
                periods, arrayEnumerate(periods)) AS quarter_active_firsts
        FROM account_snapshot AS s
        LEFT JOIN order_periods AS o ON o.account_id = s.account_id
        LEFT JOIN sub_periods AS p ON p.account_id = s.account_id
        WHERE s.refresh_id = {refresh_id:String}
          AND s.first_activity IS NOT NULL
          AND (NOT weekly OR s.first_activity > subtractWeeks({as_of:Date}, 52))
          AND (every_account OR s.account_id IN dirty)
    )
SELECT
    {refresh_id:String} AS refresh_id,
    {grain:String} AS grain,
    period,
    cohort,
    account_id,
    -- indexOf is 0 for a period without orders, and element 0 of an array is its type's default.
    o_orders[indexOf(o_periods, period)] AS orders,
    o_revenue[indexOf(o_periods, period)] AS revenue,
    active,
    segment, region, industry, acquisition_channel, owner_email, team, tier, categories,
    quarter_first,
    quarter_active_first
FROM per_account
ARRAY JOIN periods AS period, actives AS active, quarter_firsts AS quarter_first, quarter_active_firsts AS quarter_active_first
