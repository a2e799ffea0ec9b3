import { readFileSync } from 'node:fs';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { Db } from './client.ts';
import { sqlPath } from './paths.ts';

export type Params = Record<string, unknown>;

export interface QueryOptions {
	/** Tag written to system.query_log.log_comment so a slow query can be traced to its caller. */
	tag: string;
	settings?: ClickHouseSettings;
	signal?: AbortSignal;
}

export class QueryError extends Error {
	override name = 'QueryError';
	constructor(
		readonly tag: string,
		readonly code: string | undefined,
		message: string,
		options?: { cause: unknown }
	) {
		super(message, options);
	}
}

function wrap(tag: string, e: unknown): QueryError {
	const err = e as { code?: string; message?: string };
	const message = (err?.message ?? String(e)).replace(/\s*\(version [^)]*\)\s*$/, '');
	return new QueryError(tag, err?.code, `${tag}: ${message}`, { cause: e });
}

/** Every read goes through here: typed parameters, a log tag, errors wrapped with the caller's tag. */
export async function queryRows<T>(
	db: Db,
	sql: string,
	params: Params,
	opts: QueryOptions
): Promise<T[]> {
	try {
		const rs = await db.client.query({
			query: sql,
			query_params: params,
			format: 'JSONEachRow',
			clickhouse_settings: { log_comment: opts.tag, ...opts.settings },
			abort_signal: opts.signal
		});
		return await rs.json<T>();
	} catch (e) {
		throw wrap(opts.tag, e);
	}
}

export async function queryOne<T>(
	db: Db,
	sql: string,
	params: Params,
	opts: QueryOptions
): Promise<T | undefined> {
	const rows = await queryRows<T>(db, sql, params, opts);
	return rows[0];
}

/** DDL and INSERT … SELECT: statements that return no rows. */
export async function command(
	db: Db,
	sql: string,
	params: Params,
	opts: QueryOptions
): Promise<void> {
	try {
		await db.client.command({
			query: sql,
			query_params: params,
			clickhouse_settings: { log_comment: opts.tag, ...opts.settings },
			abort_signal: opts.signal
		});
	} catch (e) {
		throw wrap(opts.tag, e);
	}
}

/** Inserts JS rows (small volumes only: app state, bookkeeping; never source data). */
export async function insertRows(
	db: Db,
	table: string,
	rows: object[],
	tag: string
): Promise<void> {
	if (rows.length === 0) return;
	try {
		await db.client.insert({
			table,
			values: rows,
			format: 'JSONEachRow',
			clickhouse_settings: { log_comment: tag, date_time_input_format: 'best_effort' }
		});
	} catch (e) {
		throw wrap(tag, e);
	}
}

const cache = new Map<string, string>();

/** Loads `sql/queries/<name>.sql` (one parameterised statement per file). */
export function loadQuery(name: string): string {
	let sql = cache.get(name);
	if (sql === undefined) {
		sql = readFileSync(sqlPath('queries', `${name}.sql`), 'utf8')
			.trim()
			.replace(/;\s*$/, '');
		cache.set(name, sql);
	}
	return sql;
}

/** Quotes an identifier that came from an allow-list or from our own code, never from a user. */
export function ident(name: string): string {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Not a safe identifier: ${name}`);
	return `\`${name}\``;
}
