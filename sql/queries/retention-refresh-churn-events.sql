-- Refresh step "retention" (analytics/retention/churn-events.ts): every churn episode of every
-- account through {as_of}, for the churn rate and the churned-account lists (columns documented
-- in 0009_retention.sql). The rules are those of refresh-account-snapshot.sql, applied to every
-- point of the history instead of only to {as_of}:
-- - orders side (business model orders or both): counted orders (status in {statuses}, reporting
--   {currency}, local days in {tz}) keep an account alive from the order day until
--   {churn_days} days later; it churns on last order + {churn_days} unless an order falls on or
--   before that day (as of that day the snapshot would find no order in the {churn_days} before);
-- - subscriptions side (subscriptions or both): a subscription keeps the account alive from its
--   start through end + {grace_days}; the churn day is end + {grace_days} and, as in the
--   snapshot (end + grace < D), the account counts as churned from the day after, so such a churn
--   is recorded when it is before {as_of} and no subscription or order started by then;
-- - both: alive while either side is, so the account churns only once every side it has is
--   churned, on the later churn day of the stretch.
-- Overlapping or touching alive stretches merge; each merged stretch whose end is on or before
-- {as_of} is one churn. An account that came back (returned_on) starts a new stretch.
-- The order days are this refresh's account_days (built under exactly the orders-side rules).
INSERT INTO account_churn_events
WITH
    toDate('2149-01-01') AS open_end,
    order_days AS
    (
        SELECT account_id, arraySort(groupArray(day)) AS days
        FROM account_days
        WHERE {business_model:String} != 'subscriptions'
          AND refresh_id = {refresh_id:String}
        GROUP BY account_id
    ),
    -- Runs of orders at most {churn_days} apart: one alive stretch each (per account, few).
    order_runs AS
    (
        SELECT account_id, run_start, run_last
        FROM order_days
        ARRAY JOIN
            arrayFilter((d, i) -> i = 1 OR d > addDays(days[i - 1], {churn_days:UInt32}), days, arrayEnumerate(days)) AS run_start,
            arrayFilter((d, i) -> i = length(days) OR days[i + 1] > addDays(d, {churn_days:UInt32}), days, arrayEnumerate(days)) AS run_last
    ),
    -- alive_until: the first day the account counts as churned if nothing starts by then.
    stretches AS
    (
        SELECT
            account_id,
            run_start AS start,
            run_last AS last_activity,
            addDays(run_last, {churn_days:UInt32}) AS alive_until,
            addDays(run_last, {churn_days:UInt32}) AS churn_day
        FROM order_runs
        UNION ALL
        SELECT
            account_id,
            start_date,
            ifNull(end_date, open_end),
            if(end_date IS NULL, open_end, addDays(assumeNotNull(end_date), {grace_days:UInt32} + 1)),
            if(end_date IS NULL, open_end, addDays(assumeNotNull(end_date), {grace_days:UInt32}))
        FROM subscriptions FINAL
        WHERE {business_model:String} != 'orders'
          AND start_date <= {as_of:Date}
    ),
    -- A stretch that starts after every earlier one has ended begins a new episode.
    marked AS
    (
        SELECT
            *,
            start > max(alive_until) OVER (PARTITION BY account_id ORDER BY start, alive_until
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS new_episode
        FROM stretches
    ),
    numbered AS
    (
        SELECT
            *,
            sum(new_episode) OVER (PARTITION BY account_id ORDER BY start, alive_until
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode
        FROM marked
    ),
    episodes AS
    (
        SELECT
            account_id,
            min(start) AS episode_start,
            max(last_activity) AS last_activity,
            max(alive_until) AS alive_until,
            max(churn_day) AS churn_day
        FROM numbered
        GROUP BY account_id, episode
    ),
    with_return AS
    (
        SELECT
            *,
            leadInFrame(toNullable(episode_start)) OVER (PARTITION BY account_id ORDER BY episode_start
                ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS returned_on
        FROM episodes
    )
SELECT
    {refresh_id:String} AS refresh_id,
    e.account_id AS account_id,
    e.episode_start AS episode_start,
    e.last_activity AS last_activity,
    e.churn_day AS churn_day,
    e.returned_on AS returned_on,
    s.segment, s.region, s.industry, s.acquisition_channel, s.owner_email, s.team, s.tier, s.categories
FROM with_return AS e
INNER JOIN
(
    SELECT account_id, segment, region, industry, acquisition_channel, owner_email, team, tier, categories
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
) AS s ON s.account_id = e.account_id
WHERE e.alive_until <= {as_of:Date}
