-- NPS trend (analytics/voc/nps.ts npsTrend; portal VoC page, `tenure export nps`): NPS responses
-- of one refresh per period ({grain}: month or quarter of the local response day) from {from}
-- on, optionally per account attribute ({by}: segment, region, industry, tier, or '' for none),
-- for the accounts the filter and scope allow. Counts only: the NPS and its margin of error are
-- computed in analytics/voc/nps-math.ts; periods without responses are added there.
SELECT
    toString(if({grain:String} = 'quarter', toStartOfQuarter(month), month)) AS period,
    toString(multiIf(
        {by:String} = 'segment', segment,
        {by:String} = 'region', region,
        {by:String} = 'industry', industry,
        {by:String} = 'tier', tier,
        '')) AS group_key,
    count() AS n,
    countIf(category = 'promoter') AS promoters,
    countIf(category = 'passive') AS passives,
    countIf(category = 'detractor') AS detractors
FROM voc_responses
WHERE refresh_id = {refresh_id:String}
  AND survey_type = 'nps'
  AND month >= {from:Date}
  AND {{account-filter}}
GROUP BY period, group_key
ORDER BY period, group_key
