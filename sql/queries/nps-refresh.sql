-- Refresh step "voc" (analytics/voc/refresh.ts): every survey response on or before {as_of} by
-- its local day in {tz}, with its NPS category and its account's name and filter columns from
-- the refresh's account_snapshot (columns in 0011_service.sql). NPS categories (METRICS.md):
-- promoter 9–10, passive 7–8, detractor 0–6; csat and ces responses have none. Responses of
-- accounts missing from the snapshot are dropped (ingest checks the reference, so there are none).
-- account_latest marks each account's NPS: its latest NPS response (by time, then id) whose local
-- day is after {as_of} − {account_months} months.
INSERT INTO voc_responses
WITH
    responses AS
    (
        SELECT response_id, account_id, contact_id, survey_type, score, comment, responded_at,
            toDate(responded_at, {tz:String}) AS responded_day
        FROM survey_responses FINAL
        WHERE responded_day <= {as_of:Date}
    ),
    latest AS
    (
        SELECT argMax(response_id, (responded_at, response_id)) AS response_id
        FROM responses
        WHERE survey_type = 'nps' AND responded_day > addMonths({as_of:Date}, -{account_months:Int32})
        GROUP BY account_id
    )
SELECT
    {refresh_id:String} AS refresh_id,
    r.response_id,
    r.account_id,
    r.contact_id,
    r.survey_type,
    r.score,
    if(r.survey_type = 'nps', multiIf(r.score >= 9, 'promoter', r.score >= 7, 'passive', 'detractor'), '') AS category,
    r.responded_at,
    r.responded_day,
    toStartOfMonth(r.responded_day) AS month,
    toUInt8(r.response_id IN (SELECT response_id FROM latest)) AS account_latest,
    r.comment,
    s.name AS account_name,
    s.segment,
    s.region,
    s.industry,
    s.acquisition_channel,
    s.owner_email,
    s.team,
    s.tier,
    s.categories
FROM responses AS r
INNER JOIN
(
    SELECT account_id, name, segment, region, industry, acquisition_channel, owner_email, team, tier, categories
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
) AS s ON s.account_id = r.account_id
