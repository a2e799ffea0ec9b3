-- The executive KPI set of one refresh ({refresh_id}, as of {as_of}), one row, for the portal's
-- dashboard and `tenure export kpis`. Every number is over the accounts the filters and scope
-- ({{account-filter}}) leave, each defined in METRICS.md:
-- - accounts: CRM accounts; active: a live customer on D; new_this_month: first activity in D's
--   month; churned_90d: churn date in (D − 90 days, D];
-- - revenue_12m / revenue_prev_12m: counted orders in the trailing 12 months and the 12 before;
--   nrr / grr: trailing-12-month NRR and GRR (base = accounts with revenue in the 12 months
--   before D − 12m; GRR caps each at its base revenue); NULL without a base;
-- - tier_a/b/c: accounts per tier; health green/yellow/red/none: active accounts per band;
-- - nps, nps_n: NPS over the responses of the last 12 months (D − 12 months, D];
-- - critical_accounts: accounts with an open critical alert on D; at_risk: active accounts that
--   are red, have an open critical alert, or a churn probability ≥ {risk_threshold} in D's scores
--   (METRICS.md "At risk"), and their trailing-12-month revenue.
-- One pass over each table (snapshot, health, responses), each filtered by its own copy of the
-- filter columns: a CTE read by many scalar subqueries would be scanned once per subquery (2.7 s
-- at 1M accounts; one pass each is ~0.1 s).
WITH
    critical AS
    (
        SELECT DISTINCT account_id
        FROM alerts FINAL
        WHERE severity = 'critical'
          AND opened_as_of <= {as_of:Date}
          AND (resolved_as_of IS NULL OR resolved_as_of > {as_of:Date})
    ),
    red AS
    (
        SELECT account_id FROM health_scores WHERE refresh_id = {refresh_id:String} AND band = 'red'
    ),
    likely AS
    (
        SELECT account_id
        FROM
        (
            {{churn-scores-current}}
        )
        WHERE probability >= {risk_threshold:Float64}
    )
SELECT *
FROM
(
    SELECT
        count() AS accounts,
        countIf(a.active = 1) AS active,
        countIf(a.first_activity >= toStartOfMonth({as_of:Date})) AS new_this_month,
        countIf(a.churned = 1 AND a.churn_day > subtractDays({as_of:Date}, 90)) AS churned_90d,
        toString(sum(a.revenue_12m)) AS revenue_12m,
        toString(sum(a.revenue_prev_12m)) AS revenue_prev_12m,
        sumIf(a.revenue_prev_12m, a.revenue_prev_12m > 0) AS base_revenue,
        if(base_revenue = 0, NULL, toFloat64(sumIf(a.revenue_12m, a.revenue_prev_12m > 0)) / toFloat64(base_revenue)) AS nrr,
        if(base_revenue = 0, NULL, toFloat64(sumIf(least(a.revenue_12m, a.revenue_prev_12m), a.revenue_prev_12m > 0)) / toFloat64(base_revenue)) AS grr,
        countIf(a.tier = 'A') AS tier_a,
        countIf(a.tier = 'B') AS tier_b,
        countIf(a.tier = 'C') AS tier_c,
        countIf(a.account_id IN (SELECT account_id FROM critical)) AS critical_accounts,
        countIf(a.active = 1 AND (a.account_id IN (SELECT account_id FROM red) OR a.account_id IN (SELECT account_id FROM critical) OR a.account_id IN (SELECT account_id FROM likely))) AS at_risk,
        toString(sumIf(a.revenue_12m, a.active = 1 AND (a.account_id IN (SELECT account_id FROM red) OR a.account_id IN (SELECT account_id FROM critical) OR a.account_id IN (SELECT account_id FROM likely)))) AS at_risk_revenue_12m
    FROM account_snapshot AS a
    WHERE a.refresh_id = {refresh_id:String} AND {{account-filter}}
) AS s,
(
    SELECT
        countIf(band = 'green') AS health_green,
        countIf(band = 'yellow') AS health_yellow,
        countIf(band = 'red') AS health_red,
        countIf(band = 'none') AS health_none
    FROM health_scores
    WHERE refresh_id = {refresh_id:String} AND {{account-filter}}
) AS h,
(
    SELECT
        count() AS nps_n,
        if(nps_n = 0, NULL, (countIf(category = 'promoter') - countIf(category = 'detractor')) * 100 / nps_n) AS nps
    FROM voc_responses
    WHERE refresh_id = {refresh_id:String}
      AND survey_type = 'nps'
      AND responded_day > addMonths({as_of:Date}, -12)
      AND responded_day <= {as_of:Date}
      AND {{account-filter}}
) AS n
