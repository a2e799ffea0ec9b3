-- The default as-of date of the LTV (METRICS.md: today, or the last day with data when the data end
-- earlier): the last local day with a counted order or a subscription start, capped at today.
SELECT toString(least(
    toDate(now(), {tz:String}),
    greatest(
        ifNull((SELECT maxOrNull(toDate(ordered_at, {tz:String})) FROM orders FINAL WHERE status IN {statuses:Array(String)}), toDate('1970-01-01')),
        ifNull((SELECT maxOrNull(start_date) FROM subscriptions FINAL), toDate('1970-01-01'))
    )
)) AS day
