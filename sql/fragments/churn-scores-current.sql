-- The churn scores of {as_of}: the rows of that date's latest finished `tenure score` run
-- (churn_score_runs, 0016_churn_score_runs.sql), so a run still being written is never read and
-- no FINAL is needed. No run recorded for the date: no rows. Included with
-- {{churn-scores-current}} as a subquery.
SELECT account_id, model_version, probability, drivers
FROM churn_scores
WHERE as_of = {as_of:Date}
  AND scored_at = (SELECT max(scored_at) FROM churn_score_runs WHERE as_of = {as_of:Date})
