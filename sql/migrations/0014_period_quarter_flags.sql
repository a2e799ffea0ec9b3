-- ============================================================================
-- Quarter flags on the month rows of account_periods (issue #3, cohort matrix by quarter).
--
-- A quarterly cohort cell counts an account once however many of the quarter's months it was
-- active in, which over the month rows was a distinct count of account ids: ~0.5–0.8 s at 11M
-- rows, over the 300 ms an interactive view may take. The refresh now marks, per account, the
-- first month row of each quarter (quarter_first) and the first active month row of each quarter
-- (quarter_active_first), so a quarterly cell is a plain count, like a monthly one.
-- ============================================================================

ALTER TABLE account_periods ADD COLUMN IF NOT EXISTS quarter_first UInt8 DEFAULT 0;
ALTER TABLE account_periods ADD COLUMN IF NOT EXISTS quarter_active_first UInt8 DEFAULT 0;
