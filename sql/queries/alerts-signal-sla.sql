-- Refresh step "alerts", signal sla_first_response: accounts with a ticket whose first response
-- came later than its priority's target ({priorities} with their {target_hours}, the tenant
-- settings sla_first_response_hours_*; an unknown priority gets normal's), among
-- - tickets created in the last {recent_days} local days through {as_of} ({tz}), answered late
--   or not answered by the end of {as_of} although the target has passed, and
-- - older tickets still unanswered and unresolved at the end of {as_of} past their target (a live
--   breach stays an alert until someone answers).
-- A first response or resolution after the end of {as_of} has not happened yet as of {as_of}.
-- Evidence: the worst ticket (largest response time ÷ target): its hours (value), its target
-- (threshold), id and priority; tickets = how many breached. Severity warning.
INSERT INTO alert_signals (refresh_id, as_of, account_id, signal, severity, can_open, value, baseline, threshold, detail)
WITH
    toDateTime(toString(addDays({as_of:Date}, 1)), {tz:String}) AS as_of_end,
    checked AS
    (
        SELECT
            ticket_id,
            account_id,
            priority,
            toDate(created_at, {tz:String}) AS created_day,
            first_response_at IS NOT NULL AND first_response_at < as_of_end AS answered,
            resolved_at IS NOT NULL AND resolved_at < as_of_end AS resolved,
            dateDiff('second', created_at, if(answered, assumeNotNull(first_response_at), as_of_end)) / 3600 AS hours,
            transform(toString(priority), {priorities:Array(String)}, {target_hours:Array(Float64)}, {normal_hours:Float64}) AS target
        FROM tickets FINAL
        WHERE created_at < as_of_end
    ),
    breached AS
    (
        SELECT *
        FROM checked
        WHERE hours > target
          AND (created_day > subtractDays({as_of:Date}, {recent_days:UInt32}) OR (NOT answered AND NOT resolved))
    ),
    per_account AS
    (
        SELECT
            account_id,
            count() AS tickets,
            argMax((ticket_id, toString(priority), hours, target, answered), (hours / target, ticket_id)) AS worst
        FROM breached
        GROUP BY account_id
    )
SELECT
    {refresh_id:String},
    {as_of:Date},
    p.account_id,
    'sla_first_response',
    'warning',
    1,
    p.worst.3,
    NULL,
    p.worst.4,
    map(
        'ticket_id', p.worst.1,
        'priority', p.worst.2,
        'answered', toString(toUInt8(p.worst.5)),
        'tickets', toString(p.tickets))
FROM per_account AS p
INNER JOIN (SELECT account_id FROM account_snapshot WHERE refresh_id = {refresh_id:String}) AS s
    ON s.account_id = p.account_id
