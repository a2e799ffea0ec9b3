-- The accounts that churned in [{from}, {to}) (analytics/retention/crr.ts, crrAccounts with kind
-- 'churned'), from account_churn_events of one refresh: each account once, with its latest churn
-- of the period, the last activity before it and its return (if it came back), latest churn
-- first. Filters and scope as everywhere; {total} counts the rows before paging.
WITH churns AS
(
    SELECT
        account_id,
        max(churn_day) AS latest_churn,
        argMax(last_activity, churn_day) AS last_active,
        argMax(returned_on, churn_day) AS returned
    FROM account_churn_events
    WHERE refresh_id = {refresh_id:String}
      AND churn_day >= {from:Date}
      AND churn_day < {to:Date}
      AND {{account-filter}}
    GROUP BY account_id
)
SELECT
    c.account_id AS account_id,
    s.name AS name,
    s.owner_email AS owner_email,
    s.segment AS segment,
    toString(c.latest_churn) AS churn_day,
    toString(c.last_active) AS last_activity,
    if(c.returned IS NULL, NULL, toString(c.returned)) AS returned_on,
    count() OVER () AS total
FROM churns AS c
INNER JOIN
(
    SELECT account_id, name, owner_email, segment
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
) AS s ON s.account_id = c.account_id
ORDER BY c.latest_churn DESC, c.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
