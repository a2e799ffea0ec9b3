-- Business days from {from} to {to} under the effective calendar (the business_days view:
-- tenant overrides over the statutory calendar; Monday to Friday for days outside the loaded
-- years): the worked days after {from} up to and including {to}, negative when {to} < {from}.
-- For any caller (portal, other analytics); the service facts precompute the same count.
WITH
    least({from:Date}, {to:Date}) AS lo,
    greatest({from:Date}, {to:Date}) AS hi,
    days AS
    (
        SELECT addDays(lo, toInt32(number) + 1) AS day
        FROM numbers(toUInt64(dateDiff('day', lo, hi)))
    )
SELECT
    if({to:Date} < {from:Date}, -1, 1)
        * toInt64(sum(if(b.day = d.day, b.is_workday, toUInt8(toDayOfWeek(d.day) <= 5)))) AS business_days
FROM days AS d
LEFT JOIN business_days AS b ON b.day = d.day
