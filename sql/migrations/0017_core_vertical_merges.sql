-- ============================================================================
-- Vertical merges for the core tables (issue #2, ingest memory).
--
-- A load attaches its staging parts (one per ~130k rows) to the core table, which then merges
-- them. With the default horizontal algorithm a merge reads every column of every part at once:
-- 9.5M order lines in 73 parts took +400 MB RSS and 5.8-6.5 CPU s; 19M in 146 parts +800 MB and
-- 11.4 CPU s. Vertical merges (key columns first, then the rest one column at a time) took
-- +150 MB / 4.4-4.8 s and +230 MB / 8.2 s. The engine only picks them from 11 non-key columns
-- up, which no core table but the widest reaches. In the bench-like runs, peak RSS of a tenure
-- load: CSV 1007-1028 -> 690-699 MB, Parquet reload 1518-1620 -> 917-983 MB.
-- Staging tables keep the engine default; ATTACH PARTITION … FROM does not compare settings
-- (checked: those runs attached into core tables with this setting).
-- ============================================================================

ALTER TABLE owners MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE accounts MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE contacts MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE activities MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE products MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE orders MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE order_lines MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE invoices MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE payments MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE subscriptions MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE tickets MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE survey_responses MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
ALTER TABLE usage_daily MODIFY SETTING vertical_merge_algorithm_min_columns_to_activate = 1;
