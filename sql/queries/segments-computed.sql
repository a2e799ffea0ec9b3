-- Whether the refresh step "segments" wrote rows for refresh {refresh_id} (a refresh run without
-- it, e.g. before the step existed, has none): the segment reads say so instead of showing nothing.
SELECT count() > 0 AS computed
FROM (SELECT 1 FROM account_segments WHERE refresh_id = {refresh_id:String} LIMIT 1)
