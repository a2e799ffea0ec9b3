-- Refresh step "segments" (analytics/segments/step.ts): RFM scores and segment and lifecycle
-- stage of every account of refresh {refresh_id} as of {as_of} (columns documented in
-- 0010_segments.sql), for the portal's segment views and `tenure export rfm|lifecycle`.
-- RFM: counted orders (status in {statuses}, reporting {currency}) on local days (in {tz}) of the
-- {lookback_days} days ending on {as_of}, i.e. day in (as_of − lookback, as_of]. Scores over the
-- accounts with ≥ 1 such order: 1 + ⌊(10·below + 5·equal) / (2n)⌋, below = accounts with a worse
-- value (rank − 1), equal = accounts with the same value, n = scored accounts (the quintile rule of
-- analytics/segments/scoring.ts, in integers). The segment is {grid}[r][fm], the module's grid.
-- Lifecycle (analytics/segments/lifecycle-rule.ts): churned > potential > decline > growth >
-- mature, with {growth_days}, {growth_ratio} and {decline_ratio}; health red from health_scores
-- of the same refresh (no row: not red). The orders are counted from this refresh's account_days
-- (orders and revenue per account and local day, built under the same rules).
INSERT INTO account_segments
WITH
    lookback AS
    (
        SELECT
            account_id,
            max(day) AS last_order,
            toUInt32(sum(orders)) AS frequency,
            sum(revenue) AS monetary
        FROM account_days
        WHERE refresh_id = {refresh_id:String}
          AND day > subtractDays({as_of:Date}, {lookback_days:UInt32})
        GROUP BY account_id
    ),
    ranked AS
    (
        SELECT
            account_id,
            last_order,
            frequency,
            monetary,
            toUInt32(dateDiff('day', last_order, {as_of:Date})) AS recency_days,
            count() OVER () AS n,
            -- "Worse" recency is more days: rank in descending order of days.
            rank() OVER (ORDER BY recency_days DESC) - 1 AS r_below,
            count() OVER (PARTITION BY recency_days) AS r_equal,
            rank() OVER (ORDER BY frequency) - 1 AS f_below,
            count() OVER (PARTITION BY frequency) AS f_equal,
            rank() OVER (ORDER BY monetary) - 1 AS m_below,
            count() OVER (PARTITION BY monetary) AS m_equal
        FROM lookback
    ),
    scored AS
    (
        SELECT
            account_id,
            last_order,
            recency_days,
            frequency,
            monetary,
            toUInt8(1 + intDiv(10 * r_below + 5 * r_equal, 2 * n)) AS r_score,
            toUInt8(1 + intDiv(10 * f_below + 5 * f_equal, 2 * n)) AS f_score,
            toUInt8(1 + intDiv(10 * m_below + 5 * m_equal, 2 * n)) AS m_score,
            toUInt8(intDiv(f_score + m_score + 1, 2)) AS fm_score,
            {grid:Array(Array(String))}[r_score][fm_score] AS rfm_segment
        FROM ranked
    ),
    health AS
    (
        SELECT account_id, band
        FROM health_scores
        WHERE refresh_id = {refresh_id:String}
        LIMIT 1 BY account_id
    )
SELECT
    s.refresh_id AS refresh_id,
    s.as_of AS as_of,
    s.account_id AS account_id,
    s.name AS name,
    s.segment AS segment,
    s.region AS region,
    s.industry AS industry,
    s.acquisition_channel AS acquisition_channel,
    s.owner_email AS owner_email,
    s.team AS team,
    s.tier AS tier,
    s.categories AS categories,
    if((r.account_id != '') AS scored_account, r.last_order, NULL) AS last_order,
    if(scored_account, r.recency_days, NULL) AS recency_days,
    r.frequency AS frequency,
    r.monetary AS monetary,
    if(scored_account, r.r_score, NULL) AS r_score,
    if(scored_account, r.f_score, NULL) AS f_score,
    if(scored_account, r.m_score, NULL) AS m_score,
    if(scored_account, r.fm_score, NULL) AS fm_score,
    r.rfm_segment AS rfm_segment,
    multiIf(
        s.churned = 1, 'churned',
        s.first_activity IS NULL, 'potential',
        h.band = 'red'
            OR toFloat64(s.revenue_6m) < {decline_ratio:Float64} * toFloat64(s.revenue_prev_6m), 'decline',
        dateDiff('day', assumeNotNull(s.first_activity), {as_of:Date}) < {growth_days:UInt32}, 'growth',
        s.revenue_6m > 0
            AND toFloat64(s.revenue_6m) >= {growth_ratio:Float64} * toFloat64(s.revenue_prev_6m), 'growth',
        assumeNotNull(s.first_activity) <= addMonths({as_of:Date}, -12), 'mature',
        'growth') AS stage,
    s.first_order AS first_order,
    s.first_activity AS first_activity,
    s.revenue_6m AS revenue_6m,
    s.revenue_prev_6m AS revenue_prev_6m,
    h.band AS health_band
FROM account_snapshot AS s
LEFT JOIN scored AS r ON r.account_id = s.account_id
LEFT JOIN health AS h ON h.account_id = s.account_id
WHERE s.refresh_id = {refresh_id:String}
