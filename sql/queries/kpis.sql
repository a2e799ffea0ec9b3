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
--   are red or have an open critical alert (METRICS.md "At risk"; churn probability joins once the
--   churn model scores accounts) and their trailing-12-month revenue.
WITH
    base AS
    (
        SELECT account_id, active, churned, churn_day, first_activity, tier, revenue_12m, revenue_prev_12m
        FROM account_snapshot
        WHERE refresh_id = {refresh_id:String} AND {{account-filter}}
    ),
    bands AS
    (
        SELECT account_id, band
        FROM health_scores
        WHERE refresh_id = {refresh_id:String} AND account_id IN (SELECT account_id FROM base)
    ),
    critical AS
    (
        SELECT DISTINCT account_id
        FROM alerts FINAL
        WHERE severity = 'critical'
          AND opened_as_of <= {as_of:Date}
          AND (resolved_as_of IS NULL OR resolved_as_of > {as_of:Date})
          AND account_id IN (SELECT account_id FROM base)
    ),
    nps AS
    (
        SELECT countIf(category = 'promoter') AS promoters, countIf(category = 'detractor') AS detractors, count() AS n
        FROM voc_responses
        WHERE refresh_id = {refresh_id:String}
          AND survey_type = 'nps'
          AND responded_day > addMonths({as_of:Date}, -12)
          AND responded_day <= {as_of:Date}
          AND account_id IN (SELECT account_id FROM base)
    ),
    risk AS
    (
        SELECT count() AS at_risk, sum(b.revenue_12m) AS at_risk_revenue
        FROM base AS b
        WHERE b.active = 1
          AND (b.account_id IN (SELECT account_id FROM bands WHERE band = 'red') OR b.account_id IN (SELECT account_id FROM critical))
    )
SELECT
    (SELECT count() FROM base) AS accounts,
    (SELECT countIf(active = 1) FROM base) AS active,
    (SELECT countIf(first_activity >= toStartOfMonth({as_of:Date})) FROM base) AS new_this_month,
    (SELECT countIf(churned = 1 AND churn_day > subtractDays({as_of:Date}, 90)) FROM base) AS churned_90d,
    (SELECT toString(sum(revenue_12m)) FROM base) AS revenue_12m,
    (SELECT toString(sum(revenue_prev_12m)) FROM base) AS revenue_prev_12m,
    (SELECT if(sumIf(revenue_prev_12m, revenue_prev_12m > 0) = 0, NULL,
        toFloat64(sumIf(revenue_12m, revenue_prev_12m > 0)) / toFloat64(sumIf(revenue_prev_12m, revenue_prev_12m > 0))) FROM base) AS nrr,
    (SELECT if(sumIf(revenue_prev_12m, revenue_prev_12m > 0) = 0, NULL,
        toFloat64(sumIf(least(revenue_12m, revenue_prev_12m), revenue_prev_12m > 0)) / toFloat64(sumIf(revenue_prev_12m, revenue_prev_12m > 0))) FROM base) AS grr,
    (SELECT countIf(tier = 'A') FROM base) AS tier_a,
    (SELECT countIf(tier = 'B') FROM base) AS tier_b,
    (SELECT countIf(tier = 'C') FROM base) AS tier_c,
    (SELECT countIf(band = 'green') FROM bands) AS health_green,
    (SELECT countIf(band = 'yellow') FROM bands) AS health_yellow,
    (SELECT countIf(band = 'red') FROM bands) AS health_red,
    (SELECT countIf(band = 'none') FROM bands) AS health_none,
    (SELECT n FROM nps) AS nps_n,
    (SELECT if(n = 0, NULL, (promoters - detractors) * 100 / n) FROM nps) AS nps,
    (SELECT count() FROM critical) AS critical_accounts,
    (SELECT at_risk FROM risk) AS at_risk,
    (SELECT toString(at_risk_revenue) FROM risk) AS at_risk_revenue_12m
