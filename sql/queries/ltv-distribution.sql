-- Distribution of one LTV measure of one refresh ({as_of}, {fit_id}) per group, for the portal's
-- charts: accounts in the group, how many have a value, its total, mean and exact quantiles
-- (10/25/50/75/90 %). {group_by} and {measure} come from allow-lists in analytics/ltv/datasets.ts;
-- the cohort is the month of the first counted order or subscription start. Scope as in
-- ltv-by-account.sql.
SELECT
    multiIf(
        {group_by:String} = 'segment', a.segment,
        {group_by:String} = 'region', a.region,
        {group_by:String} = 'industry', a.industry,
        toString(l.cohort_month)) AS group_key,
    count() AS accounts,
    count(value) AS valued,
    sum(value) AS total,
    avg(value) AS mean,
    quantilesExact(0.1, 0.25, 0.5, 0.75, 0.9)(value) AS quantiles
FROM
(
    SELECT
        account_id,
        cohort_month,
        multiIf(
            {measure:String} = 'ltv_12m_predicted', ltv_12m_predicted,
            {measure:String} = 'ltv_historical', toFloat64(ltv_historical),
            {measure:String} = 'ltv_contractual', ltv_contractual,
            p_alive) AS value
    FROM account_ltv
    WHERE as_of = {as_of:Date}
      AND fit_id = {fit_id:String}
      AND ({all_accounts:Bool} OR account_id IN {account_ids:Array(String)})
) AS l
LEFT JOIN (SELECT account_id, segment, region, industry FROM accounts FINAL) AS a
    ON a.account_id = l.account_id
GROUP BY group_key
ORDER BY group_key
