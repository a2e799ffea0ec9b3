-- Churn labels for a past date D = {as_of} and horizon H = {horizon_days} (the health backtest;
-- the churn model reuses it): per account with any counted order or subscription through D, whether
-- it was active on D and, judged with the data through D + H, its next churn day. The definitions
-- are those of METRICS.md ("Churned as of D") and refresh-account-snapshot.sql, with the same
-- parameters: counted orders have a status in {statuses} and the reporting {currency} (local days
-- in {tz}); {business_model} orders | subscriptions | both; {churn_days}; {grace_days}.
-- - orders side: active on D when the last counted order through D is less than {churn_days} days
--   before D. Going forward from that order through the order days in (D, D + H], the side churns
--   at the first order day followed by a gap of more than {churn_days} days (or by no order),
--   plus {churn_days}. A side already churned on D keeps its past churn day.
-- - subscriptions side: each subscription started by D + H covers [start, end + {grace_days}]
--   (open-ended: for ever); active on D when a subscription started by D covers D. The churn day is
--   the end of the merged run of covers that contains D (runs merge when the next start is on or
--   before the day after the run's end); none while an open-ended one runs. A side churned on D
--   keeps its past churn day (the latest cover end of the subscriptions started by D).
-- - both: active when either side present is; the churn day is the later of the present sides'
--   (none if either never churns). A side's reactivation after D (a new order after it churned, a
--   new subscription after the grace) is not followed: the account's label stays that of the side
--   that was active on D when the other was already churned.
-- churned = active on D and the churn day is on or before D + H. For an active account the churn day
-- is after D, except a subscription whose grace ends on D itself: the snapshot counts it active on D
-- and churned from the next day, with churn day D; it is labelled churned.
WITH
    addDays({as_of:Date}, {horizon_days:UInt32}) AS horizon_end,
    toDate('2149-01-01') AS open_ended,
    order_side AS
    (
        SELECT
            account_id,
            maxIf(day, day <= {as_of:Date}) AS last_before,
            arrayConcat([last_before], arraySort(groupUniqArrayIf(day, day > {as_of:Date}))) AS chain,
            arrayFirstIndex((x, y) -> dateDiff('day', x, y) > {churn_days:UInt32}, arrayPopBack(chain), arrayPopFront(chain)) AS gap_at,
            last_before > subtractDays({as_of:Date}, {churn_days:UInt32}) AS active_o,
            addDays(if(gap_at = 0, chain[-1], chain[gap_at]), {churn_days:UInt32}) AS churn_o
        FROM
        (
            SELECT account_id, toDate(ordered_at, {tz:String}) AS day
            FROM orders FINAL
            WHERE status IN {statuses:Array(String)}
              AND currency = {currency:String}
              AND toDate(ordered_at, {tz:String}) <= horizon_end
        )
        GROUP BY account_id
        HAVING countIf(day <= {as_of:Date}) > 0
    ),
    subscription_side AS
    (
        SELECT
            account_id,
            arraySort(x -> x.1, groupArray((start_date,
                if(end_date IS NULL, open_ended, addDays(assumeNotNull(end_date), {grace_days:UInt32}))))) AS subs,
            arrayMap(x -> x.1, subs) AS starts,
            arrayMap(x -> x.2, subs) AS covers,
            arrayMap(i -> arrayMax(arraySlice(covers, 1, i)), arrayEnumerate(covers)) AS run_ends,
            arrayMax(arrayFilter((c, s) -> s <= {as_of:Date}, covers, starts)) AS cover_on_d,
            cover_on_d >= {as_of:Date} AS active_s,
            arrayFirstIndex((e, next) -> e >= {as_of:Date} AND next > addDays(e, 1),
                run_ends, arrayPushBack(arrayPopFront(starts), toDate('2149-06-06'))) AS run_at,
            if(NOT active_s, cover_on_d, if(run_at = 0 OR run_ends[run_at] >= open_ended, NULL, run_ends[run_at])) AS churn_s
        FROM subscriptions FINAL
        WHERE start_date <= horizon_end
        GROUP BY account_id
        HAVING min(start_date) <= {as_of:Date}
    ),
    sides AS
    (
        SELECT
            if(o.account_id != '', o.account_id, s.account_id) AS account_id,
            {business_model:String} != 'subscriptions' AND o.account_id != '' AS orders_side,
            {business_model:String} != 'orders' AND s.account_id != '' AS subs_side,
            (orders_side AND o.active_o) OR (subs_side AND s.active_s) AS active,
            multiIf(
                orders_side AND subs_side,
                    if(s.churn_s IS NULL, NULL, greatest(o.churn_o, assumeNotNull(s.churn_s))),
                orders_side, o.churn_o,
                subs_side, s.churn_s,
                NULL) AS churn_day
        FROM order_side AS o
        FULL OUTER JOIN subscription_side AS s ON s.account_id = o.account_id
    )
SELECT
    account_id,
    toUInt8(active) AS active,
    if(active, churn_day, NULL) AS churn_day,
    toUInt8(active AND churn_day IS NOT NULL AND churn_day <= horizon_end) AS churned
FROM sides
WHERE orders_side OR subs_side
