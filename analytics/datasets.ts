/**
 * A dataset: a named, documented table of rows that the portal, `tenure export` and the
 * benchmarks read through the same function. Each analytics area exports its datasets; the
 * registry (analytics/registry.ts) lists them all under stable names.
 */
import type { Db } from '../sql/client.ts';
import type { AccountFilters, AccountScope } from './scope.ts';

export interface DatasetOptions {
	/** YYYY-MM-DD; default the latest refresh. */
	readonly asOf?: string;
	readonly filters?: AccountFilters;
	/** Default 'all' (the CLI runs as an administrator). */
	readonly scope?: AccountScope;
	/** Dataset-specific options by name (e.g. grain=week), checked against `options` below. */
	readonly options?: Readonly<Record<string, string>>;
}

export interface DatasetOption {
	readonly description: string;
	readonly values: readonly string[];
	readonly fallback: string;
}

export interface Dataset {
	/** Stable kebab-case name (`tenure export <name>`). */
	readonly name: string;
	readonly description: string;
	/** Column names of every row, in order (snake_case). */
	readonly columns: readonly string[];
	readonly options?: Readonly<Record<string, DatasetOption>>;
	/** Pages of rows (a large dataset is read in pages; a small one is one page). */
	run(db: Db, opts: DatasetOptions): AsyncIterable<readonly Record<string, unknown>[]>;
}
