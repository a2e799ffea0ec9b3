-- The open alerts on {as_of} of the worklist page's accounts ({account_ids}): how many, how many
-- critical, and their signal keys.
SELECT
    account_id,
    countIf(severity = 'critical') AS critical_alerts,
    count() AS open_alerts,
    arraySort(groupUniqArray(toString(signal))) AS signals
FROM alerts FINAL
WHERE account_id IN {account_ids:Array(String)}
  AND opened_as_of <= {as_of:Date}
  AND (resolved_as_of IS NULL OR resolved_as_of > {as_of:Date})
GROUP BY account_id
