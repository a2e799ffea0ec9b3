-- Refresh step "alerts", last statement: merges the signals of refresh {refresh_id} ({as_of})
-- into the alerts, writing a new version (ReplacingMergeTree by {version}) of every alert that
-- changes:
-- - an open alert whose (account, signal) fired again: still open, last_seen_as_of = {as_of},
--   severity and evidence from this refresh; for health_band_drop only while the band stays below
--   the one it dropped from, and band_from, baseline and threshold stay those of the first drop;
-- - an open alert that did not: resolved on {as_of}, resolution 'auto', evidence of the last time
--   it fired;
-- - a signal without an open alert that may open one (can_open): a new alert, alert_id a hash of
--   (account_id, signal, {as_of}), so a merge run twice writes the same alert twice, not two.
-- "Open" means open before this date's changes: alerts resolved on {as_of} itself count as open,
-- so a second refresh of the same date redoes the first one's changes instead of adding to them
-- (the step never merges a date before the latest merged one).
INSERT INTO alerts
WITH
    ['red', 'yellow', 'green'] AS bands,
    base AS
    (
        SELECT *
        FROM alerts FINAL
        WHERE status = 'open' OR resolved_as_of >= {as_of:Date}
        ORDER BY account_id, signal, status = 'open' DESC, opened_as_of DESC
        LIMIT 1 BY account_id, signal
    ),
    fired AS
    (
        SELECT *
        FROM alert_signals
        WHERE refresh_id = {refresh_id:String}
    ),
    joined AS
    (
        SELECT
            o.alert_id != '' AS has_alert,
            f.account_id != '' AS has_signal,
            o.signal = 'health_band_drop' AND has_alert AS health_kept,
            has_signal AND (
                f.can_open = 1
                OR (has_alert AND (f.signal != 'health_band_drop'
                    OR indexOf(bands, f.detail['band_to']) < indexOf(bands, o.detail['band_from'])))
            ) AS open_now,
            if(has_alert, o.alert_id, lower(hex(sipHash128(f.account_id, toString(f.signal), toString({as_of:Date}))))) AS alert_id,
            if(has_alert, o.account_id, f.account_id) AS account_id,
            if(has_alert, o.signal, f.signal) AS signal,
            if(open_now, f.severity, o.severity) AS severity,
            if(open_now, 'open', 'resolved') AS status,
            if(has_alert, o.opened_as_of, {as_of:Date}) AS opened_as_of,
            if(open_now, {as_of:Date}, o.last_seen_as_of) AS last_seen_as_of,
            if(open_now, NULL, {as_of:Date}) AS resolved_as_of,
            if(open_now, '', 'auto') AS resolution,
            if(open_now, f.value, o.value) AS value,
            if(open_now AND NOT health_kept, f.baseline, o.baseline) AS baseline,
            if(open_now AND NOT health_kept, f.threshold, o.threshold) AS threshold,
            multiIf(
                NOT open_now, o.detail,
                health_kept, map('band_from', o.detail['band_from'], 'band_to', f.detail['band_to']),
                f.detail) AS detail,
            if(has_alert, o.opened_refresh_id, {refresh_id:String}) AS opened_refresh_id
        FROM base AS o
        FULL OUTER JOIN fired AS f ON f.account_id = o.account_id AND f.signal = o.signal
        WHERE has_alert OR (has_signal AND f.can_open = 1)
    )
SELECT
    alert_id,
    account_id,
    signal,
    severity,
    status,
    opened_as_of,
    last_seen_as_of,
    resolved_as_of,
    resolution,
    value,
    baseline,
    threshold,
    detail,
    opened_refresh_id,
    {refresh_id:String} AS refresh_id,
    {as_of:Date} AS as_of,
    {version:UInt64} AS version,
    now64(3) AS updated_at
FROM joined
