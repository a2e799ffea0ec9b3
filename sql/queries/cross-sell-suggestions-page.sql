-- Cross-sell suggestions of refresh {refresh_id} for the portal's account page and lists and
-- `tenure export cross-sell`: accounts that pass {{account-filter}} (the refresh's
-- account_snapshot), optionally one {account_id} ('' = any), with the account's name and the
-- product names of the suggestion and of its reason. By account, then rank; total: rows before
-- the page of {limit} from {offset}.
SELECT
    c.account_id AS account_id,
    s.name AS name,
    s.owner_email AS owner_email,
    c.rank AS rank,
    c.sku AS sku,
    p.name AS product_name,
    c.category AS category,
    c.confidence AS confidence,
    c.lift AS lift,
    toString(c.price) AS price,
    c.score AS score,
    c.because_sku AS because_sku,
    pb.name AS because_product_name,
    count() OVER () AS total
FROM cross_sell_suggestions AS c
INNER JOIN
(
    SELECT account_id, name, owner_email
    FROM account_snapshot
    WHERE refresh_id = {refresh_id:String}
      AND ({account_id:String} = '' OR account_id = {account_id:String})
      AND {{account-filter}}
) AS s ON s.account_id = c.account_id
LEFT JOIN (SELECT sku, name FROM products FINAL) AS p ON p.sku = c.sku
LEFT JOIN (SELECT sku, name FROM products FINAL) AS pb ON pb.sku = c.because_sku
WHERE c.refresh_id = {refresh_id:String}
  AND ({account_id:String} = '' OR c.account_id = {account_id:String})
ORDER BY c.account_id, c.rank
LIMIT {limit:UInt32} OFFSET {offset:UInt64}
