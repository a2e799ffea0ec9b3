-- Health scores of one refresh {refresh_id} for the portal's list (analytics/health/read.ts): the
-- accounts that pass the filters and scope, in bands {bands} (empty = all), ordered by {sort}
-- (score: worst first, no score last; score-desc; revenue: revenue_12m, highest first; name), one
-- page of {limit} from {offset}, with the number of matching accounts in every row.
-- The page is chosen on the sort columns alone, then its ~40 columns are read for those rows only:
-- ordering whole rows with a window count over 1M accounts took ~380 ms, this ~0.1 s.
WITH page AS
(
    SELECT
        account_id,
        if({sort:String} = 'name', name, '') AS k1,
        multiIf(
            {sort:String} = 'score', ifNull(score, 1e9),
            {sort:String} = 'score-desc', -ifNull(score, -1e9),
            {sort:String} = 'revenue', -toFloat64(revenue_12m),
            0) AS k2,
        count() OVER () AS total
    FROM health_scores
    WHERE refresh_id = {refresh_id:String}
      AND (empty({bands:Array(String)}) OR band IN {bands:Array(String)})
      AND {{account-filter}}
    ORDER BY k1, k2, account_id
    LIMIT {limit:UInt32} OFFSET {offset:UInt32}
)
SELECT
    h.account_id AS account_id, name, segment, owner_email, team, tier, toDecimalString(revenue_12m, 2) AS revenue_12m,
    score, band, recency_score, spend_score, usage_score, support_score, sentiment_score,
    payment_score, relationship_score, weights, missing,
    order_days, toString(last_order) AS last_order, days_since_order, median_gap_days,
    toDecimalString(spend_90d, 2) AS spend_90d, toDecimalString(spend_prev_90d, 2) AS spend_prev_90d, usage_days,
    usage_events_90d, usage_events_prev_90d, tickets_90d, sla_breaches_90d, nps_latest,
    toString(nps_day) AS nps_day, csat_ratings_90d, csat_good_90d, sentiment_tickets_90d,
    negative_tickets_90d, invoices_considered, overdue_invoices, max_days_late,
    toString(last_touch) AS last_touch, days_since_touch,
    p.total AS total
FROM health_scores AS h
INNER JOIN page AS p ON p.account_id = h.account_id
WHERE h.refresh_id = {refresh_id:String}
  AND h.account_id IN (SELECT account_id FROM page)
ORDER BY p.k1, p.k2, h.account_id
