-- Refresh step "alerts", signal sentiment_rising: accounts with more negative items in the last
-- {window_days} local days ({tz}) through {as_of} than in the {window_days} days before, their own
-- baseline. Negative items: tickets with a sentiment score below 0 (by creation day) and NPS
-- detractor comments (an NPS response scored 0–6 with a non-empty comment, by response day).
-- Evidence: the count now (value) and before (baseline), and how many of the current ones are
-- tickets and comments. Severity warning.
INSERT INTO alert_signals (refresh_id, as_of, account_id, signal, severity, can_open, value, baseline, threshold, detail)
WITH
    subtractDays({as_of:Date}, {window_days:UInt32}) AS window_start,
    subtractDays({as_of:Date}, 2 * {window_days:UInt32}) AS before_start,
    items AS
    (
        SELECT account_id, toDate(created_at, {tz:String}) AS day, 'ticket' AS kind
        FROM tickets FINAL
        WHERE sentiment < 0
          AND toDate(created_at, {tz:String}) > before_start
          AND toDate(created_at, {tz:String}) <= {as_of:Date}
        UNION ALL
        SELECT account_id, toDate(responded_at, {tz:String}) AS day, 'comment' AS kind
        FROM survey_responses FINAL
        WHERE survey_type = 'nps'
          AND score <= 6
          AND trimBoth(comment) != ''
          AND toDate(responded_at, {tz:String}) > before_start
          AND toDate(responded_at, {tz:String}) <= {as_of:Date}
    ),
    per_account AS
    (
        SELECT
            account_id,
            countIf(day > window_start) AS now,
            countIf(day <= window_start) AS before,
            countIf(day > window_start AND kind = 'ticket') AS tickets_now,
            countIf(day > window_start AND kind = 'comment') AS comments_now
        FROM items
        GROUP BY account_id
    )
SELECT
    {refresh_id:String},
    {as_of:Date},
    p.account_id,
    'sentiment_rising',
    'warning',
    1,
    toFloat64(p.now),
    toFloat64(p.before),
    NULL,
    map(
        'negative_tickets', toString(p.tickets_now),
        'detractor_comments', toString(p.comments_now),
        'window_days', toString({window_days:UInt32}))
FROM per_account AS p
INNER JOIN (SELECT account_id FROM account_snapshot WHERE refresh_id = {refresh_id:String}) AS s
    ON s.account_id = p.account_id
WHERE p.now > p.before
