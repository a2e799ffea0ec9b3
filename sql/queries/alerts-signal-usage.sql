-- Refresh step "alerts" (analytics/alerts/step.ts), signal usage_drop: accounts whose product usage
-- in the last {window_days} days fell by at least {threshold} (a fraction, the tenant setting
-- alert_usage_drop) against the {window_days} days before, their own baseline. Usage is
-- usage_daily.key_events; an account without key events in either window (a feed with active
-- users only) is measured in active-user days instead. The windows end on the tenant's last usage
-- day on or before {as_of} (a feed that lags by a few days does not read as a drop everywhere);
-- when that day is {window_days} or more days before {as_of} the usage is too old to judge and no
-- account is evaluated. Only accounts of the refresh's snapshot; severity critical when the drop
-- is at least twice the threshold (capped at 100 %: usage stopped), else warning.
INSERT INTO alert_signals (refresh_id, as_of, account_id, signal, severity, can_open, value, baseline, threshold, detail)
WITH
    (SELECT max(day) FROM usage_daily WHERE day <= {as_of:Date}) AS window_end,
    usage AS
    (
        SELECT
            account_id,
            sumIf(key_events, day > subtractDays(window_end, {window_days:UInt32})) AS events_now,
            sumIf(key_events, day <= subtractDays(window_end, {window_days:UInt32})) AS events_before,
            sumIf(active_users, day > subtractDays(window_end, {window_days:UInt32})) AS users_now,
            sumIf(active_users, day <= subtractDays(window_end, {window_days:UInt32})) AS users_before
        FROM usage_daily FINAL
        WHERE day > subtractDays(window_end, 2 * {window_days:UInt32})
          AND day <= window_end
          AND window_end > subtractDays({as_of:Date}, {window_days:UInt32})
        GROUP BY account_id
    ),
    measured AS
    (
        SELECT
            account_id,
            events_now > 0 OR events_before > 0 AS by_events,
            toFloat64(if(by_events, events_now, users_now)) AS now,
            toFloat64(if(by_events, events_before, users_before)) AS before,
            (before - now) / before AS fall
        FROM usage
        WHERE before > 0
    )
SELECT
    {refresh_id:String},
    {as_of:Date},
    m.account_id,
    'usage_drop',
    if(m.fall >= least(2 * {threshold:Float64}, 1), 'critical', 'warning'),
    1,
    m.now,
    m.before,
    {threshold:Float64},
    map(
        'metric', if(m.by_events, 'key_events', 'active_user_days'),
        'change', toString(-m.fall),
        'window_days', toString({window_days:UInt32}),
        'window_end', toString(window_end))
FROM measured AS m
INNER JOIN (SELECT account_id FROM account_snapshot WHERE refresh_id = {refresh_id:String}) AS s
    ON s.account_id = m.account_id
WHERE m.fall >= {threshold:Float64}
