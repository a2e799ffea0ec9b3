-- ============================================================================
-- ERP core tables: products, orders, order lines, invoices, payments, subscriptions.
-- Bookkeeping columns as in 0002_core_crm.sql.
-- ============================================================================

-- ORDER BY sku: natural key; the catalogue is small and joined whole.
-- tenure:shard-by cityHash64(sku)
CREATE TABLE IF NOT EXISTS products
(
    sku          String,
    name         String,
    category     LowCardinality(String),
    list_price   Decimal(18, 2),
    unit_cost    Decimal(18, 2),
    _version     UInt64,
    _deleted     UInt8,
    _run_id      String,
    _source_row  UInt64,
    _hash        UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY sku;

-- Orders with status paid/shipped/completed count as revenue; cancelled/refunded/pending do not.
-- ORDER BY order_id: the natural key must be the sorting key for replacement to be correct (an
-- order that moves to another account is one order, not two).
-- tenure:shard-by cityHash64(order_id)
CREATE TABLE IF NOT EXISTS orders
(
    order_id     String,
    account_id   String,
    ordered_at   DateTime('UTC'),
    status       LowCardinality(String),
    currency     LowCardinality(String),
    net_amount   Decimal(18, 2),
    channel      LowCardinality(String),
    _version     UInt64,
    _deleted     UInt8,
    _run_id      String,
    _source_row  UInt64,
    _hash        UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY order_id;

-- ORDER BY (order_id, line_no): natural key; lines are read per order or scanned for affinity.
-- tenure:shard-by cityHash64(order_id)
CREATE TABLE IF NOT EXISTS order_lines
(
    order_id     String,
    line_no      UInt32,
    sku          String,
    quantity     Decimal(18, 4),
    unit_price   Decimal(18, 4),
    net_amount   Decimal(18, 2),
    _version     UInt64,
    _deleted     UInt8,
    _run_id      String,
    _source_row  UInt64,
    _hash        UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY (order_id, line_no);

-- ORDER BY invoice_id: natural key; "days overdue" aggregates per account over a scan.
-- tenure:shard-by cityHash64(invoice_id)
CREATE TABLE IF NOT EXISTS invoices
(
    invoice_id   String,
    account_id   String,
    order_id     String,
    issued_at    Date,
    due_date     Date,
    amount       Decimal(18, 2),
    currency     LowCardinality(String),
    status       LowCardinality(String),
    _version     UInt64,
    _deleted     UInt8,
    _run_id      String,
    _source_row  UInt64,
    _hash        UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY invoice_id;

-- ORDER BY payment_id: natural key.
-- tenure:shard-by cityHash64(payment_id)
CREATE TABLE IF NOT EXISTS payments
(
    payment_id   String,
    invoice_id   String,
    account_id   String,
    paid_at      Date,
    amount       Decimal(18, 2),
    _version     UInt64,
    _deleted     UInt8,
    _run_id      String,
    _source_row  UInt64,
    _hash        UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY payment_id;

-- ORDER BY subscription_id: natural key; contractual activity is derived per account from ranges.
-- tenure:shard-by cityHash64(subscription_id)
CREATE TABLE IF NOT EXISTS subscriptions
(
    subscription_id  String,
    account_id       String,
    plan             String,
    start_date       Date,
    end_date         Nullable(Date),
    mrr              Decimal(18, 2),
    currency         LowCardinality(String),
    renewal_status   LowCardinality(String),
    _version         UInt64,
    _deleted         UInt8,
    _run_id          String,
    _source_row      UInt64,
    _hash            UInt64
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY subscription_id;
