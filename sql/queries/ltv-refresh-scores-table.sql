-- Scratch table of one LTV refresh (analytics/ltv/refresh.ts): what JavaScript computed for each
-- account, joined in ClickHouse with the purchase summary into account_ltv
-- (ltv-refresh-write.sql), so that the summary's descriptive columns never travel through
-- JavaScript. For accounts valued with the purchase models ('orders'): P(alive), the expected
-- orders, the expected order value and the predicted LTV (NULL where not computed); for
-- subscription accounts: the contractual LTV, the MRR it was valued at and the first subscription
-- start (their cohort, with the first order). Dropped when the refresh ends.
-- ENGINE = Memory: written once, read once by the join, a few hundred MB at most at a million
-- accounts; nothing to sort, compress or merge.
CREATE TABLE {scores:Identifier}
(
    account_id         String,
    model              LowCardinality(String),
    p_alive            Nullable(Float64),
    exp_tx_4w          Nullable(Float64),
    exp_tx_13w         Nullable(Float64),
    exp_tx_52w         Nullable(Float64),
    exp_avg_value      Nullable(Float64),
    ltv_12m_predicted  Nullable(Float64),
    ltv_contractual    Nullable(Float64),
    mrr                Nullable(Decimal(18, 2)),
    first_start        Nullable(Date)
)
ENGINE = Memory
