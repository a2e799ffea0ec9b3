-- One page of the RFM-scored accounts of refresh {refresh_id} (portal account lists by segment,
-- `tenure export rfm`), within the account filters and the caller's scope. {rfm_segment} = '' means
-- any segment; {after} = '' or an account id to continue after (keyset paging of exports, with
-- {sort} = 'account_id'). Sort keys come from the allow-list in analytics/segments/rfm.ts:
-- monetary, frequency (descending), recency (most recent first), score (r, f, m descending), or
-- the account id alone.
SELECT
    account_id,
    name,
    segment,
    region,
    industry,
    owner_email,
    tier,
    toString(last_order) AS last_order,
    recency_days,
    frequency,
    toString(monetary) AS monetary,
    r_score,
    f_score,
    m_score,
    fm_score,
    rfm_segment
FROM account_segments
WHERE refresh_id = {refresh_id:String}
  AND rfm_segment != ''
  AND ({rfm_segment:String} = '' OR rfm_segment = {rfm_segment:String})
  AND account_id > {after:String}
  AND {{account-filter}}
ORDER BY
    multiIf(
        {sort:String} = 'monetary', toFloat64(monetary),
        {sort:String} = 'frequency', toFloat64(frequency),
        {sort:String} = 'recency', -toFloat64(recency_days),
        {sort:String} = 'score', toFloat64(assumeNotNull(r_score) * 100 + assumeNotNull(f_score) * 10 + assumeNotNull(m_score)),
        NULL) DESC NULLS LAST,
    account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
