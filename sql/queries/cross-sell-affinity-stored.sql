-- Product affinity of refresh {refresh_id} as stored by the refresh step "cross-sell" (all
-- accounts), for productAffinity without filters: rows with lift ≥ {min_lift} and support ≥
-- {min_support}, ordered as cross-sell-affinity.sql, a page of {limit} from {offset}.
SELECT
    refresh_id, as_of, sku_a, sku_b, accounts_a, accounts_b, accounts_ab, accounts_total,
    support, confidence, lift
FROM product_affinity
WHERE refresh_id = {refresh_id:String}
  AND lift >= {min_lift:Float64}
  AND support >= {min_support:Float64}
ORDER BY lift DESC, confidence DESC, sku_a, sku_b
LIMIT {limit:UInt64} OFFSET {offset:UInt64}
