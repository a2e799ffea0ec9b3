-- Monthly churn rate of subscription accounts over the 12 months before {as_of}, for the
-- contractual LTV. METRICS.md: churn rate = accounts that churned in a period ÷ accounts active at
-- its start; a subscription account churns {grace_days} days after its last subscription ended if
-- none started by then. Pooled over the 12 month-long windows ending at {as_of}:
-- Σ churned ÷ Σ active at the window's start, a rate per month.
-- Per account, a subscription's end is a churn on end + grace unless another subscription of the
-- account starts by then and runs past that end; the account is active at a date once a
-- subscription has started and until its churn (an open-ended subscription never ends).
WITH
    spans AS
    (
        SELECT
            account_id,
            groupArray((toDate32(start_date), ifNull(toDate32(end_date), toDate32('2299-12-31')))) AS terms,
            arrayMap(
                t -> t.2 + {grace_days:UInt32},
                arrayFilter(
                    t -> NOT arrayExists(u -> u.1 <= t.2 + {grace_days:UInt32} AND u.2 > t.2, terms),
                    terms)) AS churn_dates
        FROM subscriptions FINAL
        WHERE currency = {currency:String} AND start_date <= {as_of:Date}
        GROUP BY account_id
    ),
    windows AS
    (
        -- Window k is (as_of − (k+1) months, as_of − k months]; an account churns at most once in one.
        SELECT
            toDate32(addMonths({as_of:Date}, -toInt32(k) - 1)) AS window_start,
            toDate32(addMonths({as_of:Date}, -toInt32(k))) AS window_end,
            arrayExists(c -> c > window_start AND c <= window_end, churn_dates) AS churned,
            arrayExists(t -> t.1 <= window_start AND t.2 + {grace_days:UInt32} > window_start, terms) AS at_risk
        FROM spans
        ARRAY JOIN range(12) AS k
    )
SELECT toUInt64(sum(churned)) AS churned, toUInt64(sum(at_risk)) AS at_risk
FROM windows
