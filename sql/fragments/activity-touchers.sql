-- Per account and person who touched it (an activity's owner e-mail, lower-cased): the last local
-- day in {tz} of their activities through {as_of}, and how many of them fell in the 90 days up
-- to it. The health score's relationship component and the churn model's touch features read it
-- (one rule, two readers): "the owner's last touch" is the row whose toucher is the account
-- owner's lower-cased e-mail. Included with {{activity-touchers}} as a subquery.
SELECT
    account_id,
    lower(owner_email) AS toucher,
    max(toDate(occurred_at, {tz:String})) AS last_day,
    countIf(toDate(occurred_at, {tz:String}) > subtractDays({as_of:Date}, 90)) AS n_90d
FROM activities FINAL
WHERE toDate(occurred_at, {tz:String}) <= {as_of:Date}
GROUP BY account_id, toucher
