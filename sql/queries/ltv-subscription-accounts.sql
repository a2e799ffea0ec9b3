-- Subscription accounts as of {as_of} (any subscription started by then, in the reporting
-- {currency}), with the MRR the contractual LTV is valued at (METRICS.md: ARPA × margin ÷ monthly
-- churn rate): the MRR of the subscriptions active on {as_of} (start ≤ as_of < end; the end date is
-- exclusive, a renewal starts on it). An account between terms but within {grace_days} of the
-- last end has not churned (METRICS.md), so it keeps the MRR of the subscriptions that ended last.
SELECT
    account_id,
    sumIf(mrr, end_date IS NULL OR end_date > {as_of:Date}) AS active_mrr,
    argMaxIf(mrr, end_date, end_date IS NOT NULL AND end_date <= {as_of:Date}
        AND dateDiff('day', end_date, {as_of:Date}) < {grace_days:UInt32}) AS grace_mrr,
    if(active_mrr > 0, active_mrr, ifNull(grace_mrr, 0)) AS valued_mrr,
    toString(min(start_date)) AS first_start
FROM subscriptions FINAL
WHERE currency = {currency:String} AND start_date <= {as_of:Date}
GROUP BY account_id
