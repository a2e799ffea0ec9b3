-- Account NPS (analytics/voc/nps.ts accountNps; account page, health sentiment): per account its
-- NPS as marked by the refresh (account_latest: the latest NPS response within the 12 months
-- before the refresh date), for the accounts the filter and scope allow, optionally only
-- {account_ids} (empty: all) and only {category} ('' for any). Newest first, a page of {limit}
-- from {offset}; total = accounts matching before paging.
SELECT
    account_id,
    account_name,
    response_id,
    score,
    toString(category) AS latest_category,
    toString(responded_at) AS latest_at,
    comment,
    count() OVER () AS total
FROM voc_responses
WHERE refresh_id = {refresh_id:String}
  AND survey_type = 'nps'
  AND account_latest = 1
  AND (empty({account_ids:Array(String)}) OR account_id IN {account_ids:Array(String)})
  AND ({category:String} = '' OR category = {category:String})
  AND {{account-filter}}
ORDER BY responded_at DESC, account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
