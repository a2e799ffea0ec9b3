-- NPS verbatims (analytics/voc/nps.ts npsComments; portal VoC page, `tenure export
-- nps-comments`): NPS responses of one refresh with a comment, local day in ({from}, {to}],
-- optionally only {category} ('' for any) and only comments containing {search} (case-insensitive;
-- '' for any), for the accounts the filter and scope allow. Newest first, a page of {limit} from
-- {offset}; nps-comments-count.sql counts the same rows.
SELECT
    response_id,
    toString(responded_at) AS responded_time,
    account_id,
    account_name,
    score,
    toString(category) AS response_category,
    comment
FROM voc_responses
WHERE refresh_id = {refresh_id:String}
  AND survey_type = 'nps'
  AND comment != ''
  AND responded_day > {from:Date}
  AND responded_day <= {to:Date}
  AND ({category:String} = '' OR category = {category:String})
  AND ({search:String} = '' OR positionCaseInsensitiveUTF8(comment, {search:String}) > 0)
  AND {{account-filter}}
ORDER BY responded_at DESC, response_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
