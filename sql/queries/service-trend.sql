-- Service metrics per period (analytics/voc/service.ts serviceTrend; portal service page,
-- `tenure export service`): tickets of one refresh by the {grain} (month or quarter) of their
-- local creation day, from {from} on, for the accounts the filter and scope allow. Counts and
-- sums only (rates are formed in TypeScript, null where the denominator is 0):
-- rated / satisfied: tickets with a CSAT rating / rated 4–5; responded, frt_mean_hours and
-- frt_median_hours (interpolated median) over tickets with a first response by the refresh date;
-- sla_breached over all tickets; fcr_tickets over resolved; complaints opened in the period and,
-- of them, resolved by the refresh date; escalated: of them, open and escalated as of the date.
SELECT
    toString(if({grain:String} = 'quarter', toStartOfQuarter(period), period)) AS period_start,
    count() AS tickets,
    countIf(csat IS NOT NULL) AS rated,
    countIf(csat >= 4) AS satisfied,
    sum(responded) AS responded_n,
    avgIf(frt_hours, responded = 1) AS frt_mean_hours,
    quantileExactInclusiveIf(0.5)(assumeNotNull(frt_hours), responded = 1) AS frt_median_hours,
    sum(sla_breached) AS sla_breached_n,
    sum(resolved) AS resolved_n,
    sum(fcr) AS fcr_tickets,
    sum(complaint) AS complaints_opened,
    countIf(complaint = 1 AND resolved = 1) AS complaints_resolved,
    sum(escalated) AS escalated_n
FROM service_tickets
WHERE refresh_id = {refresh_id:String}
  AND period >= {from:Date}
  AND {{account-filter}}
GROUP BY period_start
ORDER BY period_start
