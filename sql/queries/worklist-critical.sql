-- Accounts with an open critical alert on {as_of} (opened on or before it, not resolved by then):
-- one of the two ways onto the worklist (METRICS.md "At risk"). analytics/kpis.ts passes the ids
-- to worklist-page.sql, so the alerts are read once per page request.
SELECT DISTINCT account_id
FROM alerts FINAL
WHERE severity = 'critical'
  AND opened_as_of <= {as_of:Date}
  AND (resolved_as_of IS NULL OR resolved_as_of > {as_of:Date})
