-- The holdout check's tracking curve (analytics/ltv/tracking.ts; Fader, Hardie & Lee 2005, fig. 2):
-- per local day up to {holdout_end}, how many accounts of the calibration cohort made their first
-- purchase that day and how many repeat purchase days they had that day. Counted as
-- ltv-summary.sql and ltv-holdout-actuals.sql count: revenue statuses, the reporting currency, one
-- purchase per account and local day in {tz}, the first purchase day not a repeat. The cohort is
-- the accounts the holdout check fits: a first purchase by {calibration_end} and, when
-- {exclude_subscribers}, no subscription started by then (ltv-subscription-accounts.sql).
-- Days without either are left out (0).
SELECT
    toString(purchase_day) AS day,
    toUInt32(countIf(purchase_day = first_day)) AS first_purchases,
    toUInt32(countIf(purchase_day > first_day)) AS repeat_purchases
FROM
(
    SELECT account_id, min(day) AS first_day, groupArray(day) AS days
    FROM
    (
        SELECT DISTINCT account_id, toDate(ordered_at, {tz:String}) AS day
        FROM orders FINAL
        WHERE status IN {statuses:Array(String)}
          AND currency = {currency:String}
          AND toDate(ordered_at, {tz:String}) <= {holdout_end:Date}
    )
    GROUP BY account_id
    HAVING first_day <= {calibration_end:Date}
       AND NOT ({exclude_subscribers:Bool} AND account_id IN
       (
           SELECT account_id
           FROM subscriptions FINAL
           WHERE currency = {currency:String} AND start_date <= {calibration_end:Date}
       ))
)
ARRAY JOIN days AS purchase_day
GROUP BY purchase_day
ORDER BY purchase_day
