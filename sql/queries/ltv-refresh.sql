-- The latest LTV refresh of {as_of}, or of any date when {any_date} (then the latest as-of date):
-- the fit_id that the account_ltv rows of that refresh carry.
SELECT fit_id, toString(as_of) AS as_of_day, toUnixTimestamp64Milli(max(created_at)) AS created_ms
FROM ltv_fits
WHERE {any_date:Bool} OR as_of = {as_of:Date}
GROUP BY fit_id, as_of
ORDER BY as_of_day DESC, created_ms DESC
LIMIT 1
