-- What the LTV models need of each account (analytics/ltv/refresh.ts), read from the refresh's
-- summary ({summary}: ltv-summary.sql, kept in a scratch table): the rest of the summary goes
-- from that table into account_ltv without passing through JavaScript (ltv-refresh-write.sql).
-- Sorted as ltv-summary.sql sorts, so that a refresh of the same data samples the same customers
-- for its fit.
SELECT account_id, x, tx_days, T_days, m_x
FROM {summary:Identifier}
ORDER BY account_id
