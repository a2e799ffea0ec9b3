-- Whether a refresh still has its period facts (analytics/retention: an empty result of an
-- expired refresh is an error to explain, not an empty chart; only the last refreshes keep them).
SELECT count() > 0 AS kept
FROM account_periods
WHERE refresh_id = {refresh_id:String}
