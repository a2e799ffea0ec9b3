-- Incremental refresh (analytics/refresh/incremental.ts): the accounts whose {grain} periods
-- (account_periods) as of {as_of} can differ from those of refresh {previous} as of
-- {previous_as_of}; every other account's rows of the grain are copied from {previous}. Runs
-- after this refresh's account_days and account_snapshot exist. "New" rows: as in
-- refresh-dirty-orders.sql.
INSERT INTO refresh_dirty_accounts (refresh_id, scope, account_id)
WITH
    {grain:String} = 'week' AS weekly,
    {business_model:String} != 'orders' AS subscriptions_count,
    seen AS (SELECT run_id FROM analytics_refresh_runs WHERE refresh_id = {previous:String})
SELECT {refresh_id:String}, concat('periods-', {grain:String}), account_id
FROM
(
    -- the accounts whose purchases changed
    SELECT account_id FROM refresh_dirty_accounts
    WHERE refresh_id = {refresh_id:String} AND scope = 'orders'
    UNION ALL
    -- the accounts whose copied-in attributes or cohort differ, and those in one snapshot only
    SELECT account_id FROM account_snapshot
    WHERE refresh_id IN ({refresh_id:String}, {previous:String})
    GROUP BY account_id
    HAVING count() = 1
        OR uniqExact((segment, region, industry, acquisition_channel, owner_email, team, tier, categories, first_activity)) > 1
    UNION ALL
    -- subscriptions written or replaced by new runs
    SELECT account_id FROM subscriptions WHERE subscriptions_count AND _run_id NOT IN seen
    UNION ALL
    SELECT account_id FROM ingest_replaced_accounts
    WHERE subscriptions_count AND entity = 'subscriptions' AND run_id NOT IN seen
    UNION ALL
    -- subscriptions whose periods through the as-of date differ: started after {previous_as_of},
    -- or running past it into a later period
    SELECT account_id FROM subscriptions
    WHERE subscriptions_count
      AND start_date <= {as_of:Date}
      AND (start_date > {previous_as_of:Date}
        OR (ifNull(end_date, {as_of:Date}) >= {previous_as_of:Date}
            AND if(weekly,
                   toMonday(least(ifNull(end_date, {as_of:Date}), {as_of:Date})) != toMonday({previous_as_of:Date}),
                   toStartOfMonth(least(ifNull(end_date, {as_of:Date}), {as_of:Date})) != toStartOfMonth({previous_as_of:Date}))))
    UNION ALL
    -- weeks: the accounts whose first activity left the 52 weeks before the as-of date. (Only
    -- accounts first active within those 52 weeks have week rows, and none of their orders or
    -- subscriptions are older: the 53-week limits of refresh-account-periods.sql on days and
    -- subscription ends never cut anything of theirs, so days leaving them change no week row.)
    SELECT account_id FROM account_snapshot
    WHERE weekly AND refresh_id = {refresh_id:String}
      AND first_activity > subtractWeeks({previous_as_of:Date}, 52)
      AND first_activity <= subtractWeeks({as_of:Date}, 52)
)
GROUP BY account_id
