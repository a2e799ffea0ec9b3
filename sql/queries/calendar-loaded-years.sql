-- The business-day calendar (analytics/calendar/store.ts): per loaded year from {from_year} to
-- {to_year}, its days and the source they came from (chinese-days <version>, or mon-fri for a
-- year the package did not know), so a refresh reloads only the years whose source changed.
SELECT
    toYear(day) AS year,
    count() AS days,
    groupUniqArray(toString(source)) AS sources
FROM business_calendar FINAL
WHERE toYear(day) BETWEEN {from_year:UInt16} AND {to_year:UInt16}
GROUP BY year
ORDER BY year
