/** Filled in by the next commit: the functions bench:analytics times. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RefreshRef } from '../analytics/refresh/state.ts';
import type { Db } from '../sql/client.ts';

export interface BenchFunction {
	readonly name: string;
	run(db: Db, ref: RefreshRef): Promise<unknown>;
}

export interface DuckDbComparison {
	readonly name: string;
	prepare(db: Db, ref: RefreshRef, conn: DuckDBConnection, dir: string): Promise<void>;
	clickhouse(db: Db, ref: RefreshRef): Promise<unknown>;
	duckdb(conn: DuckDBConnection, ref: RefreshRef): Promise<unknown>;
}

export const BENCH_FUNCTIONS: readonly BenchFunction[] = [];
export const DUCKDB_COMPARISONS: readonly DuckDbComparison[] = [];
