SELECT count() AS n FROM ingest_rejects WHERE run_id = {run_id:String}
