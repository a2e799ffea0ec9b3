SELECT count() AS n FROM ingest_runs FINAL
