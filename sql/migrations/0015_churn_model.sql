-- ============================================================================
-- Churn model registry and scores (issue #5). Model artifacts (weights, preprocessing, feature
-- list) are files under TENURE_DATA_DIR/models/<version>/; this is their metadata and output.
-- ============================================================================

-- One row per trained model and state change (trained, then promoted or rejected; the latest
-- wins). metrics: the test-set metrics of the model (auc, pr_auc, brier, lift_10, precision_10,
-- lift_20, precision_20); health_auc: the health score's ROC AUC on the same test accounts.
-- window_from / window_to: the snapshot dates trained on; test_as_of: the test snapshot.
-- ORDER BY version: the registry lists and looks up models by version.
-- tenure:shard-by cityHash64(version)
CREATE TABLE IF NOT EXISTS churn_models
(
    version        String,
    status         LowCardinality(String),
    kind           LowCardinality(String),
    calibrated     UInt8,
    features       Array(String),
    window_from    Date,
    window_to      Date,
    test_as_of     Date,
    train_rows     UInt64,
    metrics        Map(String, Float64),
    health_auc     Nullable(Float64),
    code_version   String,
    artifact_dir   String,
    message        String,
    created_at     DateTime64(3, 'UTC'),
    updated_at     DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY version;

-- Each active account's churn probability as of a date under one model, with its top drivers
-- (feature, the account's value, the training mean, the probability the feature adds).
-- ORDER BY (as_of, account_id): the worklist and the account page read one date's scores.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS churn_scores
(
    as_of          Date,
    account_id     String,
    model_version  String,
    probability    Float64,
    drivers        Array(Tuple(feature String, value Float64, typical Float64, contribution Float64)),
    scored_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(scored_at)
ORDER BY (as_of, account_id);
