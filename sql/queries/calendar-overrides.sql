-- The tenant's calendar overrides (admin settings page): every current override, by day.
SELECT
    toString(day) AS day,
    is_workday,
    note,
    updated_by,
    toString(updated_at) AS updated_at
FROM calendar_overrides FINAL
WHERE is_deleted = 0
ORDER BY day
