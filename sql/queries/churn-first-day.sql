-- The churn training set's default snapshot dates (models/training-set.ts) start after the data
-- do: the first local day (in {tz}) of a counted order ({statuses}, {currency}) or of a
-- subscription start, or NULL without either.
SELECT toString(minOrNull(day)) AS first_day
FROM
(
    SELECT toDate(ordered_at, {tz:String}) AS day
    FROM orders FINAL
    WHERE status IN {statuses:Array(String)} AND currency = {currency:String}
    UNION ALL
    SELECT start_date AS day
    FROM subscriptions FINAL
)
