-- Refresh step "voc" (analytics/voc/refresh.ts): every ticket created on or before {as_of} (local
-- day in {tz}) with its service flags as of the end of that day (columns and definitions in
-- 0011_service.sql and analytics/voc/README.md), and its account's filter columns and owner's
-- manager from the refresh's account_snapshot. SLA targets in hours per priority:
-- {priorities}[i] has first-response target {frt_hours}[i] and resolution target {res_hours}[i].
-- Business days count the effective calendar (business_days view, Monday to Friday where it has
-- no row) from {from} (the first ticket day) to {as_of}; an open complaint older than
-- {escalation_days} business days is escalated. Tickets of accounts missing from the snapshot are
-- dropped (ingest checks the reference, so there are none).
INSERT INTO service_tickets
WITH
    toDateTime(addDays({as_of:Date}, 1), {tz:String}) AS as_of_end,
    cal AS
    (
        SELECT
            day,
            sum(is_workday) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS workdays_through
        FROM
        (
            SELECT d.day AS day, if(b.day = d.day, b.is_workday, toUInt8(toDayOfWeek(d.day) <= 5)) AS is_workday
            FROM
            (
                SELECT addDays({from:Date}, toInt32(number)) AS day
                FROM numbers(toUInt64(greatest(dateDiff('day', {from:Date}, {as_of:Date}) + 1, 0)))
            ) AS d
            LEFT JOIN business_days AS b ON b.day = d.day
        )
    ),
    t AS
    (
        SELECT
            ticket_id,
            account_id,
            created_at,
            toDate(created_at, {tz:String}) AS created_day,
            priority,
            channel,
            category AS ticket_category,
            status,
            csat,
            first_response_at IS NOT NULL AND assumeNotNull(first_response_at) < as_of_end AS responded,
            resolved_at IS NOT NULL AND assumeNotNull(resolved_at) < as_of_end AS resolved_timed,
            resolved_timed OR (resolved_at IS NULL AND status IN ('resolved', 'closed')) AS resolved,
            if(responded, dateDiff('second', created_at, assumeNotNull(first_response_at)) / 3600, NULL) AS frt_hours,
            if(resolved_timed, dateDiff('second', created_at, assumeNotNull(resolved_at)) / 3600, NULL) AS resolution_hours,
            dateDiff('second', created_at, as_of_end) / 3600 AS pending_hours,
            transform(toString(priority), {priorities:Array(String)}, {frt_hours:Array(Float64)}, toFloat64(0)) AS frt_target,
            transform(toString(priority), {priorities:Array(String)}, {res_hours:Array(Float64)}, toFloat64(0)) AS res_target,
            agent_interactions,
            reopened,
            ticket_type = 'complaint' AS complaint
        FROM tickets FINAL
        WHERE created_at < as_of_end
    )
SELECT
    {refresh_id:String} AS refresh_id,
    t.ticket_id,
    t.account_id,
    t.created_at,
    t.created_day,
    toStartOfMonth(t.created_day) AS period,
    t.priority,
    t.channel,
    t.ticket_category,
    t.status,
    t.csat,
    toUInt8(t.responded) AS responded,
    t.frt_hours,
    toUInt8(if(t.responded, assumeNotNull(t.frt_hours) > t.frt_target, t.pending_hours > t.frt_target)) AS frt_breached,
    toUInt8(t.resolved) AS resolved,
    t.resolution_hours,
    toUInt8(multiIf(
        t.resolved_timed, assumeNotNull(t.resolution_hours) > t.res_target,
        t.resolved, 0,
        t.pending_hours > t.res_target)) AS resolution_breached,
    toUInt8(frt_breached OR resolution_breached) AS sla_breached,
    toUInt8(t.resolved AND t.agent_interactions = 1 AND t.reopened = 0) AS fcr,
    toUInt8(t.complaint) AS complaint,
    toUInt8(NOT t.resolved) AS open,
    toInt32((SELECT max(workdays_through) FROM cal) - c.workdays_through) AS business_age,
    toUInt8(t.complaint AND NOT t.resolved AND business_age > {escalation_days:UInt32}) AS escalated,
    s.segment,
    s.region,
    s.industry,
    s.acquisition_channel,
    s.owner_email,
    s.team,
    s.manager_email,
    s.tier,
    s.categories
FROM t
INNER JOIN
(
    SELECT account_id, segment, region, industry, acquisition_channel, owner_email, team, manager_email, tier, categories
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
) AS s ON s.account_id = t.account_id
LEFT JOIN cal AS c ON c.day = t.created_day
