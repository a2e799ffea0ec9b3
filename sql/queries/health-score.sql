-- Health score as of {as_of} (METRICS.md, "Health and early warning"): one row per account of the
-- account_snapshot of {refresh_id} (only those with active = 1 when {active_only}), with exactly
-- the columns of health_scores in their order (0008_health.sql). The one definition of the score:
-- the refresh step inserts it for its own refresh (analytics/health/step.ts), and the backtest runs
-- it for past dates over the latest snapshot's accounts (analytics/health/backtest.ts). It reads
-- only the core tables with data through the local day {as_of} in {tz}, so any past date can be
-- scored. Windows end on D = {as_of}: "90 d" = local days (D − 90, D], "previous 90 d" = (D − 180,
-- D − 90], "12 months" = (D − 12 months, D].
--
-- Components (each 0–100, NULL = no data, left out; analytics/health/README.md has the same rules):
-- - recency: r = days since the last counted order ({statuses}, {currency}) ÷ the median gap
--   between consecutive purchase days through D; 100 × clamp(({recency_zero_ratio} − r) ÷
--   ({recency_zero_ratio} − 1), 0, 1): 100 up to the usual gap, 0 at {recency_zero_ratio} × it.
--   No data with fewer than two purchase days.
-- - spend: 100 × min(1, revenue of the last 90 d ÷ the previous 90 d) (100 when the previous 90 d
--   had none). No data when both windows have no revenue.
-- - usage: the same ratio of usage_daily key_events; 0 when both windows have none. No data when the
--   account has no usage_daily row in the 180 days.
-- - support: 100 − {support_ticket_points} × tickets − {support_breach_points} × SLA breaches,
--   floored at 0, over tickets created in the last 90 d. A ticket breaches when its first response
--   (or resolution) came later than its priority's target ({sla_priorities} → {sla_first_hours},
--   {sla_resolution_hours}; {sla_first_default} / {sla_resolution_default} for another priority),
--   or has not come by the end of D and the target has passed. No data without tickets.
-- - sentiment: the mean of the parts present: latest NPS response (0–10) in the last 12 months ×
--   10; CSAT = 100 × share of the 90 d tickets' ratings that are 4–5; 100 × (1 − share of the 90 d
--   tickets with a sentiment score whose score is negative). No data when no part is.
-- - payment: 100 × max(0, 1 − worst days late ÷ {payment_zero_days}) over invoices (not void)
--   issued through D that are due in the last 365 days or still unsettled on D. Days late: an
--   invoice settled by D (payments through D cover its amount) = last payment day − due date; an
--   unsettled one = D − due date; never below 0. An invoice marked paid without any payment row
--   counts as settled on time (its payment day is unknown). No data without such invoices.
-- - relationship: days since the owner's (the snapshot's owner_email) last activity with the
--   account through D; 100 up to {touch_full_days}, 0 from {touch_zero_days}, linear between; 0
--   when the owner never touched it. No data without an owner or without any activity.
-- Score = Σ wᵢ·sᵢ ÷ Σ wᵢ over the present components, weights {weights} in the order recency,
-- spend, usage, support, sentiment, payment, relationship; NULL (band 'none') when no component
-- with a weight above 0 is present. Band: green ≥ {green}, yellow ≥ {yellow}, else red.
SELECT
    refresh_id, as_of, account_id, name, segment, region, industry, acquisition_channel, owner_email,
    team, tier, categories, revenue_12m, score, band, recency_score, spend_score, usage_score,
    support_score, sentiment_score, payment_score, relationship_score, weights, missing,
    order_days, last_order, days_since_order, median_gap_days, spend_90d, spend_prev_90d,
    usage_days, usage_events_90d, usage_events_prev_90d, tickets_90d, sla_breaches_90d,
    nps_latest, nps_day, csat_ratings_90d, csat_good_90d, sentiment_tickets_90d,
    negative_tickets_90d, invoices_considered, overdue_invoices, max_days_late, last_touch,
    days_since_touch
FROM
(
    WITH
        -- The end of the local day D as an instant: tickets are judged with what was known then.
        toDateTime(addDays({as_of:Date}, 1), {tz:String}) AS day_end,
        pop AS
        (
            SELECT
                account_id, name, segment, region, industry, acquisition_channel, owner_email, team,
                tier, categories, revenue_12m
            FROM account_snapshot
            WHERE refresh_id = {refresh_id:String}
              AND (NOT {active_only:Bool} OR active = 1)
        ),
        purchases AS
        (
            SELECT
                account_id,
                arraySort(groupUniqArray(day)) AS days,
                sumIf(net_amount, day > subtractDays({as_of:Date}, 90)) AS spend_90d,
                sumIf(net_amount, day > subtractDays({as_of:Date}, 180) AND day <= subtractDays({as_of:Date}, 90)) AS spend_prev_90d
            FROM
            (
                SELECT account_id, toDate(ordered_at, {tz:String}) AS day, net_amount
                FROM orders FINAL
                WHERE status IN {statuses:Array(String)}
                  AND currency = {currency:String}
                  AND toDate(ordered_at, {tz:String}) <= {as_of:Date}
                  AND account_id IN (SELECT account_id FROM pop)
            )
            GROUP BY account_id
        ),
        usage AS
        (
            SELECT
                account_id,
                toUInt32(count()) AS usage_days,
                sumIf(toUInt64(key_events), day > subtractDays({as_of:Date}, 90)) AS usage_events_90d,
                sumIf(toUInt64(key_events), day <= subtractDays({as_of:Date}, 90)) AS usage_events_prev_90d
            FROM usage_daily FINAL
            WHERE day > subtractDays({as_of:Date}, 180)
              AND day <= {as_of:Date}
              AND account_id IN (SELECT account_id FROM pop)
            GROUP BY account_id
        ),
        service AS
        (
            SELECT
                account_id,
                toUInt32(count()) AS tickets_90d,
                toUInt32(countIf(breached)) AS sla_breaches_90d,
                toUInt32(countIf(csat IS NOT NULL)) AS csat_ratings_90d,
                toUInt32(countIf(csat >= 4)) AS csat_good_90d,
                toUInt32(countIf(sentiment IS NOT NULL)) AS sentiment_tickets_90d,
                toUInt32(countIf(sentiment < 0)) AS negative_tickets_90d
            FROM
            (
                SELECT
                    account_id,
                    csat,
                    sentiment,
                    {{ticket-sla-breached}} AS breached
                FROM tickets FINAL
                WHERE toDate(created_at, {tz:String}) > subtractDays({as_of:Date}, 90)
                  AND toDate(created_at, {tz:String}) <= {as_of:Date}
                  AND account_id IN (SELECT account_id FROM pop)
            )
            GROUP BY account_id
        ),
        nps AS
        (
            SELECT
                account_id,
                argMax(score, responded_at) AS nps_latest,
                toDate(max(responded_at), {tz:String}) AS nps_day
            FROM survey_responses FINAL
            WHERE survey_type = 'nps'
              AND toDate(responded_at, {tz:String}) > addMonths({as_of:Date}, -12)
              AND toDate(responded_at, {tz:String}) <= {as_of:Date}
              AND account_id IN (SELECT account_id FROM pop)
            GROUP BY account_id
        ),
        billing AS
        (
            SELECT
                account_id,
                toUInt32(count()) AS invoices_considered,
                toUInt32(countIf(NOT settled AND due_date < {as_of:Date})) AS overdue_invoices,
                toUInt32(max(days_late)) AS max_days_late
            FROM
            (
                {{invoice-lateness}}
            )
            WHERE (NOT settled OR due_date > subtractDays({as_of:Date}, 365))
              AND account_id IN (SELECT account_id FROM pop)
            GROUP BY account_id
        ),
        touches AS
        (
            SELECT account_id, toucher, last_day
            FROM
            (
                {{activity-touchers}}
            )
            WHERE account_id IN (SELECT account_id FROM pop)
        ),
        relationship AS
        (
            SELECT
                t.account_id AS account_id,
                maxIf(t.last_day, t.toucher = lower(p.owner_email)) AS owner_last,
                countIf(t.toucher = lower(p.owner_email)) > 0 AS owner_touched
            FROM touches AS t
            INNER JOIN pop AS p ON p.account_id = t.account_id
            GROUP BY t.account_id
        ),
        scored AS
        (
            SELECT
                p.account_id AS account_id,
                p.name AS name,
                p.segment AS segment,
                p.region AS region,
                p.industry AS industry,
                p.acquisition_channel AS acquisition_channel,
                p.owner_email AS owner_email,
                p.team AS team,
                p.tier AS tier,
                p.categories AS categories,
                p.revenue_12m AS revenue_12m,
                -- recency
                toUInt32(length(pu.days)) AS order_days,
                if(order_days > 0, pu.days[-1], NULL) AS last_order,
                if(order_days > 0, toUInt32(dateDiff('day', assumeNotNull(last_order), {as_of:Date})), NULL) AS days_since_order,
                arraySort(arrayPopFront(arrayDifference(arrayMap(d -> toInt32(d), pu.days)))) AS gaps,
                length(gaps) AS n_gaps,
                if(n_gaps = 0, NULL,
                    if(n_gaps % 2 = 1, toFloat64(gaps[intDiv(n_gaps, 2) + 1]),
                        (gaps[intDiv(n_gaps, 2)] + gaps[intDiv(n_gaps, 2) + 1]) / 2)) AS median_gap_days,
                if(median_gap_days IS NULL, NULL,
                    100 * greatest(0, least(1,
                        ({recency_zero_ratio:Float64} - days_since_order / median_gap_days) / ({recency_zero_ratio:Float64} - 1)))) AS recency_score,
                -- spend
                pu.spend_90d AS spend_90d,
                pu.spend_prev_90d AS spend_prev_90d,
                if(spend_90d + spend_prev_90d > 0,
                    100 * if(spend_prev_90d = 0, 1, least(1, toFloat64(spend_90d) / toFloat64(spend_prev_90d))),
                    NULL) AS spend_score,
                -- usage
                u.usage_days AS usage_days,
                u.usage_events_90d AS usage_events_90d,
                u.usage_events_prev_90d AS usage_events_prev_90d,
                if(usage_days > 0,
                    100 * if(usage_events_prev_90d = 0, if(usage_events_90d > 0, 1, 0), least(1, usage_events_90d / usage_events_prev_90d)),
                    NULL) AS usage_score,
                -- support
                sv.tickets_90d AS tickets_90d,
                sv.sla_breaches_90d AS sla_breaches_90d,
                if(tickets_90d > 0,
                    greatest(0, 100 - {support_ticket_points:Float64} * tickets_90d - {support_breach_points:Float64} * sla_breaches_90d),
                    NULL) AS support_score,
                -- sentiment
                if(n.account_id = '', NULL, n.nps_latest) AS nps_latest,
                if(n.account_id = '', NULL, n.nps_day) AS nps_day,
                sv.csat_ratings_90d AS csat_ratings_90d,
                sv.csat_good_90d AS csat_good_90d,
                sv.sentiment_tickets_90d AS sentiment_tickets_90d,
                sv.negative_tickets_90d AS negative_tickets_90d,
                if(nps_latest IS NULL, NULL, 10 * toFloat64(nps_latest)) AS nps_part,
                if(csat_ratings_90d = 0, NULL, 100 * csat_good_90d / csat_ratings_90d) AS csat_part,
                if(sentiment_tickets_90d = 0, NULL, 100 * (1 - negative_tickets_90d / sentiment_tickets_90d)) AS negative_part,
                (nps_part IS NOT NULL) + (csat_part IS NOT NULL) + (negative_part IS NOT NULL) AS sentiment_parts,
                if(sentiment_parts = 0, NULL,
                    (ifNull(nps_part, 0) + ifNull(csat_part, 0) + ifNull(negative_part, 0)) / sentiment_parts) AS sentiment_score,
                -- payment
                b.invoices_considered AS invoices_considered,
                b.overdue_invoices AS overdue_invoices,
                if(invoices_considered = 0, NULL, b.max_days_late) AS max_days_late,
                if(invoices_considered = 0, NULL,
                    100 * greatest(0, 1 - max_days_late / {payment_zero_days:Float64})) AS payment_score,
                -- relationship
                r.account_id != '' AND p.owner_email != '' AS relationship_known,
                if(relationship_known AND r.owner_touched, r.owner_last, NULL) AS last_touch,
                if(last_touch IS NULL, NULL, toUInt32(greatest(0, dateDiff('day', assumeNotNull(last_touch), {as_of:Date})))) AS days_since_touch,
                if(NOT relationship_known, NULL,
                    if(days_since_touch IS NULL, 0,
                        100 * greatest(0, least(1,
                            ({touch_zero_days:Float64} - days_since_touch) / ({touch_zero_days:Float64} - {touch_full_days:Float64}))))) AS relationship_score,
                -- the weighted mean
                ['recency', 'spend', 'usage', 'support', 'sentiment', 'payment', 'relationship'] AS names,
                [recency_score, spend_score, usage_score, support_score, sentiment_score, payment_score, relationship_score] AS scores,
                {weights:Array(Float64)} AS w,
                arraySum(arrayMap((s, x) -> if(s IS NULL, 0, x), scores, w)) AS present_weight,
                if(present_weight > 0,
                    arraySum(arrayMap((s, x) -> if(s IS NULL, 0, x * assumeNotNull(s)), scores, w)) / present_weight,
                    NULL) AS score,
                multiIf(score IS NULL, 'none', score >= {green:Float64}, 'green', score >= {yellow:Float64}, 'yellow', 'red') AS band,
                if(present_weight > 0,
                    mapFromArrays(
                        arrayFilter((x, s) -> s IS NOT NULL, names, scores),
                        arrayMap(x -> x / present_weight, arrayFilter((x, s) -> s IS NOT NULL, w, scores))),
                    map()) AS weights,
                arrayFilter((x, s) -> s IS NULL, names, scores) AS missing
            FROM pop AS p
            LEFT JOIN purchases AS pu ON pu.account_id = p.account_id
            LEFT JOIN usage AS u ON u.account_id = p.account_id
            LEFT JOIN service AS sv ON sv.account_id = p.account_id
            LEFT JOIN nps AS n ON n.account_id = p.account_id
            LEFT JOIN billing AS b ON b.account_id = p.account_id
            LEFT JOIN relationship AS r ON r.account_id = p.account_id
        )
    SELECT
        {refresh_id:String} AS refresh_id,
        {as_of:Date} AS as_of,
        *
    FROM scored
)
