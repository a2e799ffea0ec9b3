-- Succeeded refreshes other than the newest {keep} (by as-of date, then start): their rows in the
-- per-refresh fact tables (those partitioned by refresh_id) are dropped after a refresh; and the
-- older refreshes of {as_of}, whose rows a newer refresh of the same date replaced (recorded as
-- superseded with their own currency, step times and start).
SELECT
    refresh_id, toString(as_of) AS as_of_day, currency, steps, started_at,
    rank > {keep:UInt32} AS facts_expired, same_date_older
FROM
(
    SELECT
        refresh_id,
        as_of,
        currency,
        steps,
        toString(started_at) AS started_at,
        row_number() OVER (ORDER BY as_of DESC, analytics_refreshes.started_at DESC) AS rank,
        as_of = {as_of:Date} AND refresh_id != {refresh_id:String} AS same_date_older
    FROM analytics_refreshes FINAL
    WHERE status = 'succeeded'
)
WHERE rank > {keep:UInt32} OR same_date_older
