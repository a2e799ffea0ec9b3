-- Refresh step "alerts": the latest succeeded refresh of a date before {as_of} (by date, then
-- start), whose health bands and as-of date the band-drop and new-detractor signals compare with.
-- Not the refresh context's `previous`, which can be an earlier refresh of {as_of} itself.
SELECT refresh_id, toString(as_of) AS as_of_day
FROM analytics_refreshes FINAL
WHERE status = 'succeeded'
  AND as_of < {as_of:Date}
ORDER BY as_of DESC, started_at DESC
LIMIT 1
