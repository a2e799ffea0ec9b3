-- NPS split (analytics/voc/nps.ts npsSplit; portal VoC page): NPS responses of one refresh whose
-- local day is after {from} and on or before the refresh date, per account attribute ({by}:
-- segment, region, industry, tier, or '' for one row of all), for the accounts the filter and
-- scope allow. Counts only: the NPS and its margin of error are computed in nps-math.ts.
SELECT
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
  AND responded_day > {from:Date}
  AND {{account-filter}}
GROUP BY group_key
ORDER BY group_key
