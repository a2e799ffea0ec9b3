-- Customer effort score per period (analytics/voc/service.ts serviceTrend): CES survey responses
-- of one refresh by the {grain} (month or quarter) of their local day, from {from} on, for the
-- accounts the filter and scope allow: their number and mean score.
SELECT
    toString(if({grain:String} = 'quarter', toStartOfQuarter(month), month)) AS period_start,
    count() AS responses,
    avg(score) AS ces
FROM voc_responses
WHERE refresh_id = {refresh_id:String}
  AND survey_type = 'ces'
  AND month >= {from:Date}
  AND {{account-filter}}
GROUP BY period_start
ORDER BY period_start
