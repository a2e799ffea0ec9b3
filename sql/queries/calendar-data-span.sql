-- Refresh step "voc" (analytics/voc/refresh.ts): the first local day (in {tz}) of any ticket or
-- survey response on or before {as_of}, or NULL when there is none: the business-day calendar is
-- loaded from that day's year through the year of {as_of}.
SELECT least(
    (SELECT minOrNull(toDate(created_at, {tz:String})) FROM tickets WHERE toDate(created_at, {tz:String}) <= {as_of:Date}),
    (SELECT minOrNull(toDate(responded_at, {tz:String})) FROM survey_responses WHERE toDate(responded_at, {tz:String}) <= {as_of:Date})
) AS first_day
