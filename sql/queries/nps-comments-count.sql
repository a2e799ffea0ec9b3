-- NPS verbatims (analytics/voc/nps.ts npsComments): how many rows nps-comments.sql pages through
-- (same parameters but the page).
SELECT count() AS total
FROM voc_responses
WHERE refresh_id = {refresh_id:String}
  AND survey_type = 'nps'
  AND comment != ''
  AND responded_day > {from:Date}
  AND responded_day <= {to:Date}
  AND ({category:String} = '' OR category = {category:String})
  AND ({search:String} = '' OR positionCaseInsensitiveUTF8(comment, {search:String}) > 0)
  AND {{account-filter}}
