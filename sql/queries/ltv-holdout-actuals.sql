-- Purchase days and revenue per account in the holdout ({calibration_end}, {holdout_end}], for the
-- accounts already acquired by {calibration_end} (analytics/ltv/holdout.ts). Counted as
-- ltv-summary.sql counts: revenue statuses, the reporting currency, one purchase per local day.
-- Accounts without a holdout purchase are left out (0).
SELECT
    account_id,
    toUInt32(uniqExactIf(day, day > {calibration_end:Date})) AS holdout_days,
    toFloat64(sumIf(net_amount, day > {calibration_end:Date})) AS holdout_revenue
FROM
(
    SELECT account_id, toDate(ordered_at, {tz:String}) AS day, net_amount
    FROM orders FINAL
    WHERE status IN {statuses:Array(String)}
      AND currency = {currency:String}
      AND toDate(ordered_at, {tz:String}) <= {holdout_end:Date}
)
GROUP BY account_id
HAVING min(day) <= {calibration_end:Date} AND holdout_days > 0
