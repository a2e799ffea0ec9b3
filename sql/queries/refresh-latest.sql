-- The latest succeeded analytics refresh of {as_of} (or of any date when {any_date}), by start
-- time: the one every analytics read uses (analytics/refresh/state.ts).
SELECT refresh_id, toString(as_of) AS as_of_day, currency, toUnixTimestamp64Milli(started_at) AS started_ms
FROM analytics_refreshes FINAL
WHERE status = 'succeeded'
  AND ({any_date:Bool} OR as_of = {as_of:Date})
ORDER BY as_of DESC, started_at DESC
LIMIT 1
