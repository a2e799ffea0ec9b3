-- One page of churn scores as of {as_of} (the latest finished scoring run of that date), with the
-- account's name and owner from the latest analytics refresh ({refresh_id}), highest probability
-- first, for `tenure export churn-scores` and the portal. Scope and filters: the account filter
-- over that refresh's snapshot.
SELECT
    c.account_id AS account_id,
    s.name AS name,
    s.owner_email AS owner_email,
    c.model_version AS model_version,
    c.probability AS probability,
    c.drivers AS drivers
FROM
(
    {{churn-scores-current}}
) AS c
INNER JOIN
(
    SELECT account_id, name, owner_email
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String} AND {{account-filter}}
) AS s ON s.account_id = c.account_id
ORDER BY c.probability DESC, c.account_id
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
