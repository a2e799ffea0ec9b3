import type { ClickHouseSettings } from '@clickhouse/client';

/**
 * Engine settings that bound memory while reading big files. The embedded engine lives inside the
 * Node process, so its memory is the process's (bench:ingest measures it):
 * - file() inputs are read, not mmapped: a mapped file's pages count in the process's RSS, so a
 *   2 GB file grew RSS by more than 2 GB;
 * - insert blocks of ~100k rows / 16 MB instead of 1M rows / 256 MB;
 * - one parsing thread: parallel parsing keeps several 10 MB chunks in flight, and on two cores the
 *   insert side needs the other core anyway (measured: no slower).
 */
export const BOUNDED_MEMORY: ClickHouseSettings = {
	storage_file_read_method: 'read',
	input_format_parallel_parsing: 0,
	max_insert_block_size: '100000',
	min_insert_block_size_rows: '100000',
	min_insert_block_size_bytes: '16000000',
	// The Parquet reader's own budget for row groups in flight (default 4 GiB).
	input_format_parquet_memory_high_watermark: '67108864'
};
