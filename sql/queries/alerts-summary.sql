-- Open alerts as of {as_of} (the date of refresh {refresh_id}) per signal and severity: how many
-- and on how many accounts, for the portal's alert overview and the "At risk" count (accounts
-- with an open critical alert: the row with signal '' and severity 'critical', from the grouping
-- set by severity alone). Open as of {as_of}: opened on or before it and not resolved by then.
-- Filters and scope: {{account-filter}} over the refresh's account_snapshot.
SELECT
    if(grouping(signal) = 1, '', toString(signal)) AS signal_key,
    toString(severity) AS severity_key,
    count() AS open_alerts,
    uniqExact(account_id) AS accounts
FROM
(
    SELECT account_id, signal, severity
    FROM alerts FINAL
    WHERE opened_as_of <= {as_of:Date}
      AND (resolved_as_of IS NULL OR resolved_as_of > {as_of:Date})
      AND account_id IN
      (
          SELECT account_id
          FROM account_snapshot
          WHERE refresh_id = {refresh_id:String}
            AND {{account-filter}}
      )
)
GROUP BY GROUPING SETS ((signal, severity), (severity))
ORDER BY signal_key, severity_key
