-- Refresh step "cross-sell" (analytics/cross-sell/step.ts): the best {top} cross-sell
-- suggestions per account of refresh {refresh_id} ({as_of}). Rules: the refresh's stored
-- product_affinity pairs A → B with lift > 1 (compared on whole numbers: accounts_ab ·
-- accounts_total > accounts_a · accounts_b) and confidence ≥ {min_confidence}. An account gets B
-- when it bought some A of a rule in the {lookback_days} days ending on {as_of} (last_day in the
-- window, as for the affinity), never bought B (any account_products row through {as_of}), and B
-- is in the catalogue (products). Per (account, B) the best rule: highest confidence, then lift,
-- then the smaller A; score = confidence × list price; ranked by score (descending), then sku.
-- Worked per account on arrays (its products, the rules' candidates, best per B, top {top}):
-- grouping the candidates by (account, B) with an anti-join and ranking them with a window
-- function took 97 s at 1M accounts × 3.5M account products × 450 rules, this 7.6 s. The rules
-- come as one constant map from A to its rules, so each account looks up only the rules of what
-- it bought (joining every recent purchase to its rules and grouping the candidate rows back by
-- account took 15 s at 1M accounts and 11M account products, per account 12 s). Suggestions
-- depend only on the basket (what the account owns, what it bought recently), so they are worked
-- out once per distinct basket: 941k accounts have 137k baskets over the demo's 15 SKUs, 12.7 ->
-- 5.1 s (rows identical). A catalogue of thousands of SKUs has about one basket per account and
-- costs what working per account did.
INSERT INTO cross_sell_suggestions (refresh_id, as_of, account_id, rank, sku, category, confidence, lift, price, score, because_sku)
WITH
    (
        SELECT mapFromArrays(groupArray(sku_a), groupArray(rs))
        FROM
        (
            SELECT r.sku_a AS sku_a, groupArray((r.confidence, r.lift, r.sku_a, r.sku_b, toString(p.category), p.list_price)) AS rs
            FROM product_affinity AS r
            INNER JOIN (SELECT sku, category, list_price FROM products FINAL) AS p ON p.sku = r.sku_b
            WHERE r.refresh_id = {refresh_id:String}
              AND r.accounts_ab * r.accounts_total > r.accounts_a * r.accounts_b
              AND r.confidence >= {min_confidence:Float64}
            GROUP BY r.sku_a
        )
    ) AS rules_by_a,
    -- What each account owns and bought recently, as sorted arrays: its basket.
    baskets AS
    (
        SELECT
            account_id,
            arraySort(groupArray(sku)) AS owned,
            arraySort(groupArrayIf(sku, last_day > subtractDays({as_of:Date}, {lookback_days:UInt32}))) AS recent
        FROM account_products
        WHERE refresh_id = {refresh_id:String}
        GROUP BY account_id
        HAVING notEmpty(recent)
    ),
    -- Suggestions depend on the basket only: worked out once per distinct basket, for all of
    -- its accounts. Candidates best first: (−confidence, −lift, A) ascending; the first of each
    -- B is its best rule; then by score (descending) and sku, the first {top}.
    per_basket AS
    (
        SELECT
            accounts,
            arraySort(x -> (-x.1, -x.2, x.3),
                arrayFilter(x -> NOT has(owned, x.4), arrayFlatten(arrayMap(a -> rules_by_a[a], recent)))) AS sorted,
            arrayFilter((x, i) -> indexOf(sorted.4, x.4) = i, sorted, arrayEnumerate(sorted)) AS best,
            arraySlice(arraySort(x -> (-(x.1 * toFloat64(x.6)), x.4), best), 1, {top:UInt8}) AS top
        FROM (SELECT owned, recent, groupArray(account_id) AS accounts FROM baskets GROUP BY owned, recent)
    )
SELECT
    {refresh_id:String},
    {as_of:Date},
    account_id,
    toUInt8(rank),
    s.4,
    s.5,
    s.1,
    s.2,
    s.6,
    s.1 * toFloat64(s.6),
    s.3
-- Only the accounts and their top go on: ARRAY JOIN copies every other column into each row. A
-- basket without a suggestion has an empty top, which ARRAY JOIN drops. (Filtering it out with
-- WHERE instead let the engine push the filter below the grouping, since top depends on the
-- grouping keys only, and evaluate it once per account: 8 times slower.)
FROM (SELECT accounts, top FROM per_basket)
ARRAY JOIN accounts AS account_id
ARRAY JOIN top AS s, arrayEnumerate(top) AS rank
