-- Every churn model of the registry (models/registry.ts) in its latest state, newest first.
SELECT
    version, status, kind, calibrated, features,
    toString(window_from) AS window_from, toString(window_to) AS window_to,
    toString(test_as_of) AS test_as_of, train_rows, metrics, health_auc, code_version,
    artifact_dir, message, toString(created_at) AS created_at
FROM churn_models FINAL
ORDER BY created_at DESC, version DESC
