-- Refresh step "alerts", signal health_band_drop, from health_scores (written by the health step
-- earlier in the same refresh): accounts whose band in refresh {refresh_id} is yellow or red.
-- can_open = 1 when the band is lower than in {previous_refresh_id}, the previous refresh of an
-- earlier date (green → yellow, yellow → red, green → red; '' when there is none: nothing drops);
-- the other rows only keep an open alert open while the band stays below the one it dropped from
-- (the merge compares band_to with the alert's band_from). Evidence: the score now (value) and
-- before (baseline), the lower bound of the band it dropped from (threshold: {green_min} or
-- {yellow_min}), band_from and band_to. Severity critical when the band is red, else warning.
INSERT INTO alert_signals (refresh_id, as_of, account_id, signal, severity, can_open, value, baseline, threshold, detail)
WITH
    ['red', 'yellow', 'green'] AS bands,
    previous AS
    (
        SELECT account_id, band, score
        FROM health_scores
        WHERE refresh_id = {previous_refresh_id:String}
    )
SELECT
    {refresh_id:String},
    {as_of:Date},
    h.account_id,
    'health_band_drop',
    if(h.band = 'red', 'critical', 'warning'),
    toUInt8(indexOf(bands, h.band) < indexOf(bands, toString(p.band))) AS dropped,
    h.score,
    if(dropped, p.score, NULL),
    if(dropped, if(p.band = 'green', {green_min:Float64}, {yellow_min:Float64}), NULL),
    if(dropped, map('band_from', toString(p.band), 'band_to', toString(h.band)), map('band_to', toString(h.band)))
FROM health_scores AS h
LEFT JOIN previous AS p ON p.account_id = h.account_id
WHERE h.refresh_id = {refresh_id:String}
  AND h.band IN ('yellow', 'red')
