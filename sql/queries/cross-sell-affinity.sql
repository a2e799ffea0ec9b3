-- Product affinity per account as of refresh {refresh_id} ({as_of}), for the accounts that pass
-- {{account-filter}} (the refresh's account_snapshot): the refresh step "cross-sell" stores it for
-- all accounts (INSERT INTO product_affinity followed by this statement, every filter empty,
-- {min_lift} and {min_support} 0), and productAffinity computes it here for filtered or scoped
-- reads. An account counts for the products it bought within the lookback: account_products
-- keeps one row per account and product with its first and last purchase day, so "bought in the
-- lookback" is last_day in the {lookback_days} days ending on {as_of} (at least one purchase in
-- the window; how many is not known from these facts and not needed). accounts_total: accounts
-- with any such product. Pairs by expanding each account's product list against itself (one row
-- per account and ordered pair), which at ~50 products stays far below a self-join's cost.
-- support, confidence and lift as in the migration (0012); rows with lift ≥ {min_lift} and
-- support ≥ {min_support}, by lift then confidence (descending), then skus; a page of
-- {limit} from {offset}.
WITH
    baskets AS
    (
        SELECT account_id, groupArray(sku) AS skus
        FROM account_products
        WHERE refresh_id = {refresh_id:String}
          AND last_day > subtractDays({as_of:Date}, {lookback_days:UInt32})
          AND account_id IN
          (
              SELECT account_id
              FROM account_snapshot
              WHERE refresh_id = {refresh_id:String}
                AND {{account-filter}}
          )
        GROUP BY account_id
    ),
    (SELECT count() FROM baskets) AS total,
    per_sku AS
    (
        SELECT sku, count() AS accounts
        FROM baskets
        ARRAY JOIN skus AS sku
        GROUP BY sku
    ),
    pairs AS
    (
        SELECT a, b, count() AS accounts_ab
        FROM baskets
        ARRAY JOIN skus AS a
        ARRAY JOIN skus AS b
        WHERE a != b
        GROUP BY a, b
    )
SELECT
    {refresh_id:String} AS refresh_id,
    {as_of:Date} AS as_of,
    p.a AS sku_a,
    p.b AS sku_b,
    pa.accounts AS accounts_a,
    pb.accounts AS accounts_b,
    p.accounts_ab AS accounts_ab,
    total AS accounts_total,
    p.accounts_ab / total AS support,
    p.accounts_ab / pa.accounts AS confidence,
    (p.accounts_ab * total) / (pa.accounts * pb.accounts) AS lift
FROM pairs AS p
INNER JOIN per_sku AS pa ON pa.sku = p.a
INNER JOIN per_sku AS pb ON pb.sku = p.b
WHERE lift >= {min_lift:Float64}
  AND support >= {min_support:Float64}
ORDER BY lift DESC, confidence DESC, sku_a, sku_b
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
