import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { Db } from './client.ts';
import { sqlPath } from './paths.ts';
import { BOUNDED_MEMORY } from './settings.ts';

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

/**
 * Settings travel inside the statement (`… SETTINGS k = v`), never as `clickhouse_settings`:
 * chDB applies those as session-wide `SET`s, so one query's settings (an ingest's input format, a
 * memory limit) would silently apply to every later query in the process. DDL takes none (a
 * trailing SETTINGS on CREATE TABLE would be read as table settings).
 */
export function withSettings(sql: string, settings: ClickHouseSettings): string {
	const text = sql.trim().replace(/;\s*$/, '');
	if (!/^(SELECT|WITH|INSERT|DESCRIBE|DESC|EXPLAIN|\()/i.test(text)) return text;
	if (/^INSERT\b/i.test(text) && !/\bSELECT\b/i.test(text)) return text;
	const entries = Object.entries(settings).filter(([, v]) => v !== undefined);
	if (!entries.length) return text;
	const list = entries.map(([k, v]) => `${settingName(k)} = ${settingValue(v)}`).join(', ');
	// A statement may end with its own SETTINGS clause (e.g. engine_file_truncate_on_insert).
	return /\bSETTINGS\s+[a-z_]+\s*=\s*[^()]*$/i.test(text)
		? `${text}, ${list}`
		: `${text}\nSETTINGS ${list}`;
}

function settingName(k: string): string {
	if (!/^[a-z_][a-z0-9_]*$/i.test(k)) throw new Error(`Not a setting name: ${k}`);
	return k;
}

function settingValue(v: unknown): string {
	if (typeof v === 'number' || typeof v === 'bigint') return String(v);
	if (typeof v === 'boolean') return v ? '1' : '0';
	const s = String(v);
	return /^-?\d+(\.\d+)?$/.test(s) ? s : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
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
			query: withSettings(sql, { log_comment: opts.tag, ...opts.settings }),
			query_params: params,
			format: 'JSONEachRow',
			abort_signal: opts.signal
		});
		return await rs.json<T>();
	} catch (e) {
		throw wrap(opts.tag, e);
	}
}

/**
 * A large result as one array per column (format JSONColumnsWithMetadata): for reads of a million
 * rows, where an object per row costs more time and memory than the work done with it (the LTV
 * refresh's summary read 2× faster and with a fraction of the garbage).
 */
export async function queryColumns<T extends Record<string, unknown>>(
	db: Db,
	sql: string,
	params: Params,
	opts: QueryOptions
): Promise<{ rows: number; columns: { [K in keyof T]: T[K][] } }> {
	try {
		const rs = await db.client.query({
			query: withSettings(sql, { log_comment: opts.tag, ...opts.settings }),
			query_params: params,
			format: 'JSONColumnsWithMetadata',
			abort_signal: opts.signal
		});
		// The client types json() per format family; this single document is { meta, data, rows }.
		const result = (await rs.json()) as unknown as {
			rows: number;
			data: { [K in keyof T]: T[K][] };
		};
		return { rows: Number(result.rows), columns: result.data };
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
			query: withSettings(sql, { log_comment: opts.tag, ...opts.settings }),
			query_params: params,
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
		await db.client.insert({ table, values: rows.map(plainTimes), format: 'JSONEachRow' });
	} catch (e) {
		throw wrap(tag, e);
	}
}

/** One value as a TabSeparated field: NULL as \\N, backslash, tab and line breaks escaped. */
export function tsvField(v: string | number | null | undefined): string {
	if (v === null || v === undefined) return '\\N';
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) return '\\N';
		return String(v);
	}
	return /[\\\t\n\r]/.test(v)
		? v.replace(/[\\\t\n\r]/g, (c) =>
				c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'
			)
		: v;
}

/**
 * Inserts many rows given as batches of TabSeparated lines (fields from tsvField, in `columns`
 * order): for result sets too big for insertRows' JSON, such as the LTV refresh's million rows.
 * Embedded, the batches are appended to one file in the data directory's tmp/ and inserted with
 * one INSERT … SELECT FROM file(): chDB hands an inline body to the parser as part of the query
 * text, which read 100k rows 3× slower than the same bytes from a file (and JSON 2× slower than
 * TabSeparated). A server cannot see our files: it gets each batch as a request body.
 */
export async function insertTsv(
	db: Db,
	table: string,
	columns: readonly string[],
	batches: Iterable<readonly string[]>,
	tag: string,
	via: 'auto' | 'file' | 'body' = 'auto'
): Promise<number> {
	const list = columns.map(ident).join(', ');
	let rows = 0;
	if (via === 'body' || (via === 'auto' && db.mode === 'server')) {
		for (const lines of batches) {
			if (!lines.length) continue;
			rows += lines.length;
			try {
				await db.client.insert({
					table,
					columns: columns as [string, ...string[]],
					values: Readable.from([Buffer.from(`${lines.join('\n')}\n`)], { objectMode: false }),
					format: 'TabSeparated'
				});
			} catch (e) {
				throw wrap(tag, e);
			}
		}
		return rows;
	}
	const dir = path.join(db.dataDir, 'tmp');
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${table}-${randomUUID()}.tsv`);
	try {
		for (const lines of batches) {
			if (!lines.length) continue;
			rows += lines.length;
			appendFileSync(file, `${lines.join('\n')}\n`);
		}
		if (rows) {
			await command(
				db,
				`INSERT INTO ${ident(table)} (${list}) SELECT * FROM file({file:String}, 'TabSeparated')`,
				{ file },
				{ tag, settings: BOUNDED_MEMORY }
			);
		}
	} finally {
		rmSync(file, { force: true });
	}
	return rows;
}

/**
 * ISO timestamps (Date.toISOString()) become 'YYYY-MM-DD hh:mm:ss.sss', which DateTime columns
 * read without best-effort parsing (a setting we must not leave behind in the session).
 */
function plainTimes(row: object): object {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(row)) {
		const d = v instanceof Date ? v.toISOString() : v;
		out[k] =
			typeof d === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(d)
				? d.replace('T', ' ').replace('Z', '')
				: d;
	}
	return out;
}

const cache = new Map<string, string>();

/**
 * Loads `sql/queries/<name>.sql` (one parameterised statement per file). `{{fragment}}` in it (outside
 * comment lines) is replaced by `sql/fragments/<fragment>.sql` (comment lines dropped): fixed text shared by many
 * queries, such as the account filter, never anything from a user.
 */
export function loadQuery(name: string): string {
	let sql = cache.get(name);
	if (sql === undefined) {
		sql = readFileSync(sqlPath('queries', `${name}.sql`), 'utf8')
			.trim()
			.replace(/;\s*$/, '')
			.split('\n')
			.map((line) =>
				line.trimStart().startsWith('--')
					? line
					: line.replace(/\{\{([a-z0-9-]+)\}\}/g, (_, fragment: string) => loadFragment(fragment))
			)
			.join('\n');
		cache.set(name, sql);
	}
	return sql;
}

function loadFragment(name: string): string {
	return readFileSync(sqlPath('fragments', `${name}.sql`), 'utf8')
		.split('\n')
		.filter((line) => !line.trimStart().startsWith('--'))
		.join('\n')
		.trim();
}

/** Quotes an identifier that came from an allow-list or from our own code, never from a user. */
export function ident(name: string): string {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Not a safe identifier: ${name}`);
	return `\`${name}\``;
}

/**
 * Merges a ReplacingMergeTree table's versions into one part per partition, so later `FINAL`
 * reads have nothing left to merge (at 1M alerts, FINAL went from ~100 ms to ~15 ms). On a
 * cluster the replicated local tables are optimized on every node.
 */
export async function optimizeFinal(db: Db, table: string, tag: string): Promise<void> {
	const target = db.cluster
		? `${ident(`${table}_local`)} ON CLUSTER ${ident(db.cluster)}`
		: ident(table);
	await command(db, `OPTIMIZE TABLE ${target} FINAL`, {}, { tag });
}
