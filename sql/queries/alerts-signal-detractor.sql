-- Refresh step "alerts", signal new_detractor: accounts with an NPS response scored 0–6 in the
-- last {window_days} local days ({tz}) through {as_of}. can_open = 1 when the latest of them was
-- given after {previous_as_of}, the as-of date of the previous refresh of an earlier date (the
-- caller passes 1970-01-01 when there is none, so every response of the window is new); older
-- ones only keep an open alert open until they leave the window. Evidence: the latest detractor
-- response (score as value, 6 as threshold, id, contact and day) and how many the window holds.
-- Severity critical on tier-A accounts (tier of the refresh's snapshot), else warning.
INSERT INTO alert_signals (refresh_id, as_of, account_id, signal, severity, can_open, value, baseline, threshold, detail)
WITH
    per_account AS
    (
        SELECT
            account_id,
            count() AS responses,
            argMax((response_id, contact_id, score, toDate(responded_at, {tz:String})), (responded_at, response_id)) AS latest
        FROM survey_responses FINAL
        WHERE survey_type = 'nps'
          AND score <= 6
          AND toDate(responded_at, {tz:String}) > subtractDays({as_of:Date}, {window_days:UInt32})
          AND toDate(responded_at, {tz:String}) <= {as_of:Date}
        GROUP BY account_id
    )
SELECT
    {refresh_id:String},
    {as_of:Date},
    p.account_id,
    'new_detractor',
    if(s.tier = 'A', 'critical', 'warning'),
    toUInt8(p.latest.4 > {previous_as_of:Date}),
    toFloat64(p.latest.3),
    NULL,
    6,
    map(
        'response_id', p.latest.1,
        'contact_id', p.latest.2,
        'responded_on', toString(p.latest.4),
        'responses', toString(p.responses),
        'tier', toString(s.tier))
FROM per_account AS p
INNER JOIN (SELECT account_id, tier FROM account_snapshot WHERE refresh_id = {refresh_id:String}) AS s
    ON s.account_id = p.account_id
