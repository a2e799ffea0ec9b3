-- Refresh step "alerts": the latest as-of date whose signals were merged into the alerts (NULL
-- when none): a refresh of an earlier date leaves the alerts alone, alerts only move forward.
SELECT toString(max(as_of)) AS as_of_day, count() > 0 AS any_merged
FROM alerts
