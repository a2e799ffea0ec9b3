import { createHash, randomUUID } from 'node:crypto';
import {
	appendFileSync,
	closeSync,
	createReadStream,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	readSync,
	rmSync
} from 'node:fs';
import path from 'node:path';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { Db } from '../sql/client.ts';
import { command, insertRows, queryOne, queryRows } from '../sql/query.ts';
import { BOUNDED_MEMORY } from '../sql/settings.ts';
import {
	FLAT_ORDER_LINES,
	getEntity,
	inputColumns,
	type ColumnDef,
	type EntityDef
} from './entities.ts';
import { IngestError } from './errors.ts';
import { checkExpression } from './expressions.ts';
import { ingestMessage, sqlMessage } from './messages.ts';
import {
	checkEntityName,
	resolveMapping,
	type MappingFile,
	type ResolvedColumn,
	type ResolvedMapping
} from './mapping.ts';
import {
	CLICKHOUSE_FORMAT,
	prepareSource,
	sqlIdent,
	sqlString,
	type SourceFile,
	type SourceFormat
} from './source.ts';
import { buildTypedSelect, finalExpr, nativeType } from './typing.ts';

export type LoadMode = 'incremental' | 'snapshot';

export interface LoadOptions {
	entity: string;
	file: string;
	mapping?: MappingFile;
	mappingLabel?: string;
	format?: SourceFormat;
	mode?: LoadMode;
	triggeredBy?: string;
	onProgress?: (p: LoadProgress) => void;
}

export interface LoadProgress {
	phase: 'reading' | 'validating' | 'committing' | 'done';
	rows: number;
	/** Estimated rows in the file, when it can be known up front. */
	totalRows?: number;
}

export interface TableCounts {
	new: number;
	updated: number;
	unchanged: number;
	deleted: number;
}

export interface RejectRow {
	row_number: number;
	column: string;
	reason: string;
}

export interface LoadResult {
	runId: string;
	entity: string;
	file: string;
	status: 'succeeded' | 'failed';
	rowsRead: number;
	rowsNew: number;
	rowsUpdated: number;
	rowsUnchanged: number;
	rowsRejected: number;
	rowsDeleted: number;
	/** Per core table, for loads that write more than one (the flat order-line export). */
	tables: Record<string, TableCounts>;
	durationMs: number;
	error?: string;
	rejects: RejectRow[];
	ignoredColumns: string[];
}

/**
 * Settings for every ingest statement. Each one matters for correctness or memory:
 * - positional columns plus one overflow column, so a row with too many values is a reject with
 *   its row number instead of a failed file, and `_row_number` stays the file's record number;
 * - no tolerated parse errors: anything the text reader cannot read fails the run, never drops rows
 *   silently;
 * - numbers/booleans/objects in JSON read as text, so typing happens in one place (typing.ts);
 * - spilling grouping, sorting and joins to disk keeps checks on 20M rows within the process's
 *   memory budget (the engine runs inside the Node process); see also BOUNDED_MEMORY. (Aggregation
 *   in key order was tried for the duplicate check: it was slower, 158 ms against 95 ms at 480k.)
 */
function ingestSettings(delimiter?: string): ClickHouseSettings {
	return {
		...BOUNDED_MEMORY,
		input_format_with_names_use_header: 0,
		input_format_csv_allow_variable_number_of_columns: 1,
		input_format_tsv_allow_variable_number_of_columns: 1,
		input_format_allow_errors_num: '0',
		input_format_allow_errors_ratio: 0,
		input_format_csv_empty_as_default: 1,
		// An unquoted empty field reads as '' into Nullable(String), while a field the row does not
		// have at all stays NULL: the only way to tell `a,b,c,` (one more, empty, value: too wide)
		// from `a,b,c` in the overflow column. TSV reads empty fields as '' already.
		input_format_csv_missing_nullable_as_empty_string: 1,
		input_format_json_read_numbers_as_strings: 1,
		input_format_json_read_bools_as_strings: 1,
		input_format_json_read_objects_as_strings: 1,
		input_format_json_read_arrays_as_strings: 1,
		input_format_skip_unknown_fields: 1,
		// Two DESCRIBEs of one file ask different questions (header as text, sample types): the
		// per-file schema cache would answer the second with the first's result.
		schema_inference_use_cache_for_file: 0,
		max_bytes_before_external_group_by: '64000000',
		max_bytes_before_external_sort: '64000000',
		// Grace hash spills to disk past max_bytes_in_join instead of failing or swelling the process.
		join_algorithm: 'grace_hash',
		max_bytes_in_join: '64000000',
		// Evaluate the error and raw-value branches only for rows that need them.
		short_circuit_function_evaluation: 'force_enable',
		...(delimiter ? { format_csv_delimiter: delimiter } : {})
	};
}

/**
 * Where the loader switches strategy for large inputs (exported so tests can drive both paths).
 * - smallLoadRows: below it, the comparison with stored rows probes the file's own keys through
 *   the primary index (hash join); above it, both sorted tables are merged (streams, spills).
 * - maxRowsInSet: up to this many set-aside rows are excluded with an in-memory set; beyond it,
 *   with a sorting-merge join.
 * - maxRefKeysInSet: references to a table with up to this many rows are checked in the parse
 *   pass with an in-memory set of its keys (1M accounts: ~60 MB); to a larger one (8.4M orders:
 *   +1.3 GB as a set), in pass 2 by a sorting-merge join, which streams and spills but must sort
 *   the staged rows by that column (29M orders by account: +20 s), so sets win while they fit.
 */
export const ingestTuning = {
	smallLoadRows: 100_000,
	maxRowsInSet: 1_000_000,
	maxRefKeysInSet: 2_000_000
};

const EXTRA = '__tenure_extra';
/** The unnamed column of a header that ends with a delimiter (`a,b,c,`); see trailingDelimiter. */
const TRAILING = '__tenure_trailing';
const META_COLUMNS = ['_version', '_deleted', '_run_id', '_source_row', '_hash'];

let lastVersion = 0;
/** Run versions are ms timestamps, strictly increasing within a process: a later load always wins. */
function nextVersion(): number {
	lastVersion = Math.max(Date.now(), lastVersion + 1);
	return lastVersion;
}

interface RunContext {
	db: Db;
	runId: string;
	tag: string;
	version: number;
	file: string;
	entity: string;
	settings: ClickHouseSettings;
	/** The header row ends with a delimiter, so every row may end with one empty value. */
	trailingDelimiter: boolean;
	tables: string[];
	/** Reference columns small enough to check in the parse pass (see maxRefKeysInSet). */
	refsInPass1: Set<string>;
}

function tmpName(runId: string, suffix: string): string {
	return `_ing_${runId.replace(/-/g, '')}_${suffix}`;
}

const trace = process.env.TENURE_TRACE === '1';

/** With TENURE_TRACE=1, each ingest statement's duration goes to stderr (finding slow steps). */
async function traced<T>(sql: string, body: () => Promise<T>): Promise<T> {
	if (!trace) return body();
	const t0 = performance.now();
	const cpu0 = process.cpuUsage();
	// The engine runs queries on a libuv worker, so the event loop can sample RSS meanwhile.
	let high = process.memoryUsage.rss();
	const sampler = setInterval(() => {
		high = Math.max(high, process.memoryUsage.rss());
	}, 20);
	try {
		return await body();
	} finally {
		clearInterval(sampler);
		const what = sql.replace(/\s+/g, ' ').slice(0, 110);
		if (process.env.TENURE_TRACE_SQL) appendFileSync(process.env.TENURE_TRACE_SQL, `${sql};\n\n`);
		// The highest RSS during the statement and the process's peak so far.
		const rss = Math.round(high / 1e6);
		const peak = Math.round(process.resourceUsage().maxRSS / 1024);
		// CPU of the whole process (the engine's threads included, background merges too).
		const cpu = process.cpuUsage(cpu0);
		const cpuMs = (cpu.user + cpu.system) / 1000;
		process.stderr.write(
			`[trace] ${(performance.now() - t0).toFixed(0).padStart(6)} ms ${cpuMs.toFixed(0).padStart(6)} ms cpu ${String(rss).padStart(5)} MB (peak ${String(peak).padStart(5)})  ${what}\n`
		);
	}
}

async function exec(
	ctx: RunContext,
	sql: string,
	params: Record<string, unknown> = {},
	settings: ClickHouseSettings = {}
): Promise<void> {
	if (process.env.TENURE_TRACE_SQL) {
		appendFileSync(`${process.env.TENURE_TRACE_SQL}.params`, `${JSON.stringify(params)}\n`);
	}
	await traced(sql, () =>
		command(
			ctx.db,
			sql,
			{ run_id: ctx.runId, ...params },
			{ tag: ctx.tag, settings: { ...ctx.settings, ...settings } }
		)
	);
}

/**
 * For reading a table in key order, which merges one stream per part, so memory grows with the
 * parts: small blocks and no read-ahead buffer per stream (order lines, 9.5M rows in 73 parts
 * against 8.4M orders: +65 MB instead of +290 MB, +0.1 CPU s; against 9.5M stored lines: +260 MB
 * instead of +580 MB).
 */
const IN_KEY_ORDER: ClickHouseSettings = {
	max_block_size: '8192',
	read_in_order_use_buffering: 0
};

/** For joins of two large sorted tables: merge them (streams, spills) instead of hashing one. */
const MERGE_JOIN: ClickHouseSettings = {
	...IN_KEY_ORDER,
	join_algorithm: 'full_sorting_merge',
	max_bytes_before_external_sort: '64000000'
};

/**
 * The parse pass's INSERT feeds materialized views; by default the engine runs them inline, so the
 * whole pass ran on one core. In parallel they take the other core (9.5M order lines: 6.8 s wall
 * to 3.8 s, same CPU).
 */
const PASS1: ClickHouseSettings = { parallel_view_processing: 1 };

async function scalar(
	ctx: RunContext,
	sql: string,
	params: Record<string, unknown> = {},
	settings: ClickHouseSettings = {}
): Promise<number> {
	const row = await traced(sql, () =>
		queryOne<{ n: number | string }>(
			ctx.db,
			sql,
			{ run_id: ctx.runId, ...params },
			{ tag: ctx.tag, settings: { ...ctx.settings, ...settings } }
		)
	);
	return Number(row?.n ?? 0);
}

async function createTemp(
	ctx: RunContext,
	suffix: string,
	ddl: (name: string) => string
): Promise<string> {
	const name = tmpName(ctx.runId, suffix);
	ctx.tables.push(name);
	const sql = ddl(name);
	await exec(ctx, sql);
	// Scratch tables are attached or dropped, never queried for long: merging their parts in the
	// background is wasted work that competes with the load (order lines, 19M rows: 9.8 s and
	// 451 MB with merges, 6.9 s and 352 MB without). Core tables merge after the attach.
	if (/^CREATE TABLE\b/.test(sql) && !/ENGINE = Null/.test(sql)) {
		await exec(ctx, `SYSTEM STOP MERGES ${name}`);
	}
	return name;
}

/** A new version of a run's row; `afterMs`: the version it replaces, which this one must outrank. */
async function writeRun(db: Db, row: Record<string, unknown>, afterMs = 0): Promise<void> {
	const at = new Date(Math.max(Date.now(), afterMs + 1));
	await insertRows(db, 'ingest_runs', [{ ...row, updated_at: at.toISOString() }], 'ingest:run');
}

/** Reads the header (or the schema, for Parquet) through ClickHouse, which knows the format best. */
async function readColumns(
	ctx: RunContext,
	src: SourceFile
): Promise<{ name: string; type: string }[]> {
	const settings: ClickHouseSettings = {
		...ctx.settings,
		input_format_with_names_use_header: 1,
		input_format_csv_use_best_effort_in_schema_inference: 0,
		input_format_tsv_use_best_effort_in_schema_inference: 0,
		input_format_max_rows_to_read_for_schema_inference: '1000',
		schema_inference_make_columns_nullable: 1
	};
	try {
		const rows = await queryRows<{ name: string; type: string }>(
			ctx.db,
			`DESCRIBE file(${sqlString(src.path)}, '${CLICKHOUSE_FORMAT[src.format]}')`,
			{},
			{ tag: ctx.tag, settings }
		);
		return rows.map((r) => ({ name: r.name, type: r.type }));
	} catch (e) {
		throw new IngestError('file.unreadable', {
			file: src.label,
			format: src.format.toUpperCase(),
			reason: readableEngineError(e)
		});
	}
}

/** Engine messages reworded for the common ways a file is broken. */
export function readableEngineError(e: unknown): string {
	const msg = ((e as Error)?.message ?? String(e)).replace(/^ingest:[^:]*: /, '');
	if (/ZLIB|inflate|gzip|Unexpected end of (file|stream)|ZSTD|zstd/i.test(msg)) {
		return ingestMessage('engine.damaged');
	}
	if (
		/Cannot extract table structure|schema inference|The table structure cannot be extracted/i.test(
			msg
		)
	) {
		return ingestMessage('engine.noData');
	}
	const line = msg.split('\n')[0] ?? msg;
	return line.replace(/\s*\(version [^)]*\)\s*$/, '').slice(0, 600);
}

function fileTableExpr(
	src: SourceFile,
	columns: { name: string; type: string }[],
	headerTypes: Map<string, string>,
	trailingDelimiter: boolean
): string {
	const format = CLICKHOUSE_FORMAT[src.format];
	if (src.format === 'parquet') return `file(${sqlString(src.path)}, '${format}')`;
	const structure = [
		...columns.map((c) => `${sqlIdent(c.name)} ${headerTypes.get(c.name) ?? 'Nullable(String)'}`)
	];
	if (src.format !== 'jsonl') {
		if (trailingDelimiter) structure.push(`${TRAILING} Nullable(String)`);
		structure.push(`${EXTRA} Nullable(String)`);
	}
	return `file(${sqlString(src.path)}, '${format}', ${sqlString(structure.join(', '))})`;
}

/**
 * Whether the header row ends with a delimiter (`a,b,c,`), as some ERP exports write every line.
 * ClickHouse drops the empty last name from the header, so the rows' matching empty last value
 * would otherwise count as one value too many. Read positionally: the field after the last named
 * header is '' when the header has one more, empty, field and NULL when it has none.
 */
async function trailingDelimiter(
	ctx: RunContext,
	src: SourceFile,
	headerCount: number
): Promise<boolean> {
	if (src.format !== 'csv' && src.format !== 'tsv') return false;
	const format = src.format === 'csv' ? 'CSV' : 'TSV';
	const structure = Array.from({ length: headerCount + 1 }, (_, i) => `c${i} Nullable(String)`);
	const row = await queryOne<{ t: number }>(
		ctx.db,
		`SELECT c${headerCount} IS NOT NULL AS t FROM file(${sqlString(src.path)}, '${format}', ${sqlString(structure.join(', '))}) LIMIT 1`,
		{},
		{ tag: ctx.tag, settings: ctx.settings }
	);
	return Number(row?.t ?? 0) === 1;
}

/** Core table DDL-compatible column list for a typed table: entity columns then bookkeeping. */
function coreColumns(entity: EntityDef): string[] {
	return [...entity.columns.map((c) => c.name), ...META_COLUMNS];
}

const keyTuple = (e: EntityDef, prefix = '') => `(${e.key.map((k) => prefix + k).join(', ')})`;
const keyText = (e: EntityDef, prefix = '') =>
	e.key.length === 1
		? `toString(${prefix}${e.key[0]})`
		: `concat(${e.key.map((k) => `toString(${prefix}${k})`).join(", '/', ")})`;

/** ClickHouse's own reading of a sample of the file: which columns look like numbers or dates. */
async function inferTypes(
	ctx: RunContext,
	src: SourceFile,
	fileColumns: { name: string; type: string }[]
): Promise<Map<string, string>> {
	if (src.format === 'parquet') return new Map(fileColumns.map((c) => [c.name, c.type]));
	if (src.format === 'jsonl') return new Map();
	const rows = await queryRows<{ name: string; type: string }>(
		ctx.db,
		`DESCRIBE file(${sqlString(src.path)}, '${CLICKHOUSE_FORMAT[src.format]}')`,
		{},
		{
			tag: ctx.tag,
			settings: {
				...ctx.settings,
				input_format_with_names_use_header: 1,
				input_format_max_rows_to_read_for_schema_inference: '1000',
				schema_inference_make_columns_nullable: 1
			}
		}
	).catch((e: unknown) => {
		if (trace) process.stderr.write(`[trace] sample inference failed: ${String(e)}\n`);
		return [];
	});
	return new Map(rows.map((r) => [r.name, r.type]));
}

/**
 * Pass 1 with the reader typing what it can (fast); if that read fails on some value, again with
 * every column as text, which turns each bad value into a reject for its row instead.
 */
async function parsePass1(
	ctx: RunContext,
	src: SourceFile,
	fileColumns: { name: string; type: string }[],
	mapping: ResolvedMapping,
	target: string,
	targetColumns: string[],
	onRows: (n: number) => void
): Promise<string> {
	const inferred = await inferTypes(ctx, src, fileColumns);
	const derivedText = mapping.columns.map((c) => c.expr ?? '').join(' ');
	const native = new Map<string, string>();
	for (const c of mapping.columns) {
		// A header a derived expression reads stays text, so the expression sees what the user wrote.
		if (!c.source || derivedText.includes(c.source)) continue;
		const type = nativeType(c, inferred.get(c.source), ctx.db.timezone);
		if (type) native.set(c.def.name, type);
	}
	if (native.size > 0) {
		try {
			return await parseInto(
				ctx,
				src,
				fileColumns,
				mapping,
				target,
				targetColumns,
				onRows,
				native,
				1
			);
		} catch (e) {
			if (trace) process.stderr.write(`[trace] typed read failed, reading as text: ${String(e)}\n`);
			await exec(ctx, `TRUNCATE TABLE ${target}`);
			await exec(ctx, 'DELETE FROM ingest_rejects WHERE run_id = {run_id:String}');
		}
	}
	return parseInto(ctx, src, fileColumns, mapping, target, targetColumns, onRows, new Map(), 2);
}

/**
 * Pass 1: one read of the file. Valid rows go to `target` (typed, core-shaped), rows with problems
 * to ingest_rejects (one row per problem), through a Null table with materialized views. Returns a
 * table shaped like `target` with the rows that had problems, typed as far as they could be: a
 * snapshot must not delete the stored version of a key whose new row was rejected.
 */
async function parseInto(
	ctx: RunContext,
	src: SourceFile,
	fileColumns: { name: string; type: string }[],
	mapping: ResolvedMapping,
	target: string,
	targetColumns: string[],
	onRows: (n: number) => void,
	native: Map<string, string>,
	attempt: number
): Promise<string> {
	const headers = fileColumns.map((c) => c.name);
	const headerTypes = new Map<string, string>();
	for (const c of mapping.columns) {
		const type = native.get(c.def.name);
		if (type && c.source) headerTypes.set(c.source, type);
	}
	const sourceIndex = new Map(headers.map((h, i) => [h, i]));
	const inner: string[] = headers.map((h, i) => `${sqlIdent(h)} AS s${i}`);
	for (const c of mapping.columns) if (c.expr) inner.push(`(${c.expr}) AS d_${c.def.name}`);
	// _x: the row has a value beyond the header's columns. An empty value counts (`a,b,c,` under a
	// three-column header is as wide as `a,b,c,d`), except the one empty value every row may have
	// when the header itself ends with a delimiter.
	inner.push(
		src.format === 'jsonl' || src.format === 'parquet'
			? `0 AS _x`
			: ctx.trailingDelimiter
				? `(${EXTRA} IS NOT NULL OR notEmpty(ifNull(${TRAILING}, ''))) AS _x`
				: `${EXTRA} IS NOT NULL AS _x`
	);
	inner.push('_row_number + 1 AS _r');

	const inputOf = (c: ResolvedColumn) => {
		if (c.expr) return `d_${c.def.name}`;
		const s = `s${sourceIndex.get(c.source!)}`;
		const type = native.get(c.def.name);
		return type ? `CAST(${s} AS ${type})` : s;
	};
	const typed = buildTypedSelect(
		mapping.columns,
		inputOf,
		(c) => native.has(c.def.name),
		(def) => ctx.refsInPass1.has(def.name),
		{ when: '_x', reason: '{extra_msg:String}' }
	);
	const present = new Set(mapping.columns.map((c) => c.def.name));
	const defs = inputColumns(mapping.entity);
	const finals = defs.map((d) => `${finalExpr(d)} AS ${d.name}`);
	// Columns the file does not provide get their type's empty value through the same expression.
	const missing = defs
		.filter((d) => !present.has(d.name))
		.map((d) => `CAST(NULL AS Nullable(${nullableBase(d)})) AS _typed_${d.name}`);
	const businessCols = defs.map((d) => d.name);

	const nullTable = await createTemp(
		ctx,
		`in${attempt}`,
		(n) => `CREATE TABLE ${n} AS ${target} ENGINE = Null`
	);
	await exec(
		ctx,
		`ALTER TABLE ${nullTable} ADD COLUMN _errors Array(Tuple(String, String)), ADD COLUMN _raw String`
	);
	await createTemp(
		ctx,
		`mv_ok${attempt}`,
		(n) =>
			`CREATE MATERIALIZED VIEW ${n} TO ${target} AS SELECT ${targetColumns.join(', ')} FROM ${nullTable} WHERE empty(_errors)`
	);
	await createTemp(
		ctx,
		`mv_bad${attempt}`,
		(n) =>
			`CREATE MATERIALIZED VIEW ${n} TO ingest_rejects AS SELECT _run_id AS run_id, ${sqlString(mapping.entity)} AS entity, ${sqlString(src.label)} AS source_file, _source_row AS row_number, e.1 AS column, e.2 AS reason, _raw AS raw FROM ${nullTable} ARRAY JOIN _errors AS e`
	);
	const rejected = await createTemp(
		ctx,
		`rejected${attempt}`,
		(n) => `CREATE TABLE ${n} AS ${target}`
	);
	await createTemp(
		ctx,
		`mv_rejected${attempt}`,
		(n) =>
			`CREATE MATERIALIZED VIEW ${n} TO ${rejected} AS SELECT ${targetColumns.join(', ')} FROM ${nullTable} WHERE NOT empty(_errors)`
	);

	const sql = `INSERT INTO ${nullTable} (${targetColumns.join(', ')}, _errors, _raw)
SELECT ${finals.join(', ')},
       {version:UInt64} AS _version, 0 AS _deleted, {run_id:String} AS _run_id, _r AS _source_row,
       cityHash64(${businessCols.join(', ')}) AS _hash,
       _errors,
       if(empty(_errors), '', toJSONString(mapFromArrays({headers:Array(String)}, [${headers.map((_, i) => `ifNull(toString(s${i}), '')`).join(', ') || "''"}]))) AS _raw
FROM (
  SELECT *, ${[...typed.columns.map((c) => c.expr), ...missing].join(', ')}, ${typed.errors} AS _errors
  FROM (SELECT ${inner.join(', ')} FROM ${fileTableExpr(src, fileColumns, headerTypes, ctx.trailingDelimiter)})
)`;
	const params = {
		...typed.params,
		version: ctx.version,
		tz: ctx.db.timezone,
		headers: headers.length ? headers : [''],
		extra_msg: ingestMessage('reject.tooWide', { count: headers.length })
	};
	const poll = pollRows(ctx.db, target, onRows);
	try {
		await exec(ctx, sql, params, PASS1);
	} catch (e) {
		throw new IngestError('file.notLoaded', { file: src.label, reason: readableEngineError(e) });
	} finally {
		await poll.stop();
	}
	return rejected;
}

function nullableBase(d: { type: string }): string {
	return (
		{
			string: 'String',
			datetime: "DateTime('UTC')",
			date: 'Date',
			money: 'Decimal(18, 2)',
			quantity: 'Decimal(18, 4)',
			score: 'Float64',
			uint8: 'Int64',
			uint16: 'Int64',
			uint32: 'Int64',
			bool: 'UInt8'
		} as Record<string, string>
	)[d.type]!;
}

/**
 * Counts rows already written to a table's parts while an INSERT runs (chDB does not report
 * progress): each committed part has a count.txt with its row count.
 */
function pollRows(
	db: Db,
	table: string,
	onRows: (n: number) => void
): { stop: () => Promise<void> } {
	if (db.mode !== 'embedded') return { stop: async () => undefined };
	let dir: string | null = null;
	let stopped = false;
	const ready = queryOne<{ p: string[] }>(
		db,
		'SELECT data_paths AS p FROM system.tables WHERE database = currentDatabase() AND name = {t:String}',
		{ t: table },
		{ tag: 'ingest:progress' }
	)
		.then((r) => {
			dir = r?.p?.[0] ?? null;
		})
		.catch(() => undefined);
	const tick = () => {
		if (!dir) return;
		let n = 0;
		try {
			for (const part of readdirSync(dir)) {
				if (part.startsWith('tmp') || part === 'detached' || part.endsWith('.txt')) continue;
				try {
					n += Number(readFileSync(path.join(dir, part, 'count.txt'), 'utf8'));
				} catch {
					/* a part being written or merged away: counted on the next tick */
				}
			}
		} catch {
			return;
		}
		onRows(n);
	};
	const timer = setInterval(() => {
		if (!stopped) tick();
	}, 500);
	return {
		stop: async () => {
			stopped = true;
			clearInterval(timer);
			await ready;
		}
	};
}

/**
 * Pass 2, per core table: rejects duplicate keys (unknown references were rejected in pass 1, in
 * the same scan as typing), sets aside rows identical
 * to what is stored (a reload writes nothing), and in snapshot mode adds tombstones for keys the
 * source no longer has (`rejectedKeys`, a query for the keys of rows rejected earlier in the run,
 * are still in the source). Returns the table to attach, its counts and the rows it rejected.
 */
async function stageForCommit(
	ctx: RunContext,
	entity: EntityDef,
	typedTable: string,
	mode: LoadMode,
	rejectedKeys: string,
	refColumns: readonly ColumnDef[] = []
): Promise<{ load: string | null; counts: TableCounts; excl: string }> {
	const excl = await createTemp(
		ctx,
		`excl_${entity.name}`,
		(n) =>
			`CREATE TABLE ${n} (row UInt64, column String, reason String) ENGINE = MergeTree ORDER BY row`
	);
	// Duplicate keys: identical copies keep the first row; conflicting copies are all rejected.
	// First a cheap test: the staging table's parts are each sorted by the key, so reading it in key
	// order is a merge of its parts (no sort), and a duplicate is a row whose key equals the one
	// before. It never misses a duplicate; its one false alarm (a first key equal to the type's
	// default) only costs the exact query below. Order lines, 9.5M rows in 73 parts: 0.8-1.2 CPU s
	// and +80 MB, where a GROUP BY on hashed keys took 1.7-2.5 s and +130-200 MB (it spills).
	const maybeDuplicates = await scalar(
		ctx,
		`SELECT countIf(k = prev) AS n FROM (SELECT ${keyTuple(entity)} AS k, lagInFrame(k) OVER (ORDER BY ${entity.key.join(', ')} ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prev FROM ${typedTable})`,
		{},
		IN_KEY_ORDER
	);
	if (maybeDuplicates > 0) {
		await exec(
			ctx,
			`INSERT INTO ${excl}
SELECT r, {key_cols:String},
       if(variants > 1,
          ${sqlMessage('reject.conflict', { key: 'key', rows: "concat(arrayStringConcat(arraySlice(arraySort(rows), 1, 10), ', '), if(length(rows) > 10, ', …', ''))" })},
          ${sqlMessage('reject.duplicate', { row: 'toString(first)' })})
FROM (
  SELECT ${keyText(entity)} AS key, groupArray(_source_row) AS rows, uniqExact(_hash) AS variants, min(_source_row) AS first
  FROM ${typedTable} GROUP BY ${entity.key.join(', ')} HAVING count() > 1
) ARRAY JOIN rows AS r
WHERE variants > 1 OR r != first`,
			{ key_cols: entity.key.join(', ') }
		);
	}
	// References to large tables (not checked in the parse pass): a sorting-merge join, so neither
	// side is held in memory. Unmatched rows get the type's default, '' (keys are never empty).
	for (const col of refColumns) {
		const ref = col.ref!;
		const refTable = getEntity(ref.entity).table;
		await exec(
			ctx,
			`INSERT INTO ${excl}
SELECT t._source_row, {col:String}, ${sqlMessage('reject.unknownRef', { value: `t.${col.name}` }, { column: col.name, refColumn: ref.column, refEntity: ref.entity })}
FROM ${typedTable} AS t LEFT JOIN (SELECT ${ref.column} AS k FROM ${refTable} FINAL WHERE _deleted = 0) AS r ON t.${col.name} = r.k
WHERE r.k = '' AND t.${col.name} != ''`,
			{ col: col.name },
			MERGE_JOIN
		);
	}
	await exec(
		ctx,
		`INSERT INTO ingest_rejects (run_id, entity, source_file, row_number, column, reason, raw)
SELECT {run_id:String}, {entity:String}, {file:String}, row, column, reason, '' FROM ${excl}`,
		{ entity: entity.name, file: ctx.file }
	);

	const stored = await scalar(
		ctx,
		`SELECT count() AS n FROM (SELECT 1 FROM ${entity.table} LIMIT 1)`
	);
	// An entity whose rows belong to an account that can change (an order moved to another
	// account) also keeps the stored version's account of each changed row (see below).
	const movable =
		entity.columns.some((c) => c.name === 'account_id') && !entity.key.includes('account_id');
	const same = await createTemp(
		ctx,
		`same_${entity.name}`,
		(n) =>
			`CREATE TABLE ${n} (row UInt64, is_same UInt8${movable ? ', account_id String' : ''}) ENGINE = MergeTree ORDER BY row`
	);
	let updated = 0;
	if (stored > 0) {
		// One join finds both the rows identical to the stored version and the changed ones. Both
		// sides are sorted by the key, so a large file is compared by a sorting-merge join, which
		// streams and spills (480k rows against 3M stored: 0.2 s and +170 MB, where a hash join took
		// 3.9 s and +1.2 GB). A small file instead probes only its own keys through the primary index.
		const staged = await scalar(ctx, `SELECT count() AS n FROM ${typedTable}`);
		const small = staged < ingestTuning.smallLoadRows;
		const current = `SELECT ${entity.key.join(', ')}, _hash${movable ? ', account_id' : ''} FROM ${entity.table} FINAL WHERE _deleted = 0${small ? ` AND ${keyTuple(entity)} IN (SELECT ${entity.key.join(', ')} FROM ${typedTable})` : ''}`;
		await exec(
			ctx,
			`INSERT INTO ${same} SELECT t._source_row, t._hash = c._hash${movable ? ', c.account_id' : ''} FROM ${typedTable} AS t INNER JOIN (${current}) AS c ON ${entity.key.map((k) => `t.${k} = c.${k}`).join(' AND ')}`,
			{},
			small ? { join_algorithm: 'hash' } : MERGE_JOIN
		);
		if (movable) {
			// The replaced version is merged away soon after the commit: this is the incremental
			// refresh's only record that its account's facts changed (0018_incremental_refresh.sql).
			// Written before the commit, so a run that fails later only over-reports.
			await exec(
				ctx,
				`INSERT INTO ingest_replaced_accounts (run_id, entity, account_id)
SELECT DISTINCT {run_id:String}, {entity:String}, account_id FROM ${same} WHERE NOT is_same`,
				{ entity: entity.name }
			);
		}
		updated = await scalar(
			ctx,
			`SELECT count() AS n FROM ${same} WHERE NOT is_same AND row NOT IN (SELECT row FROM ${excl})`
		);
	}
	// A row can be both rejected (a conflicting duplicate key) and identical to the stored version,
	// and have several problems: rows are counted once, and a rejected row is not "unchanged".
	const unchanged = await scalar(
		ctx,
		`SELECT count() AS n FROM ${same} WHERE is_same AND row NOT IN (SELECT row FROM ${excl})`
	);
	const total = await scalar(ctx, `SELECT count() AS n FROM ${typedTable}`);
	const excluded = unchanged + (await scalar(ctx, `SELECT uniqExact(row) AS n FROM ${excl}`));

	let load = typedTable;
	let deleted = 0;
	if (excluded > 0 || mode === 'snapshot') {
		load = await createTemp(
			ctx,
			`load_${entity.name}`,
			(n) => `CREATE TABLE ${n} AS ${entity.table}`
		);
		const dropped = `SELECT row FROM ${excl} UNION ALL SELECT row FROM ${same} WHERE is_same`;
		if (excluded >= total) {
			// Nothing of the file is new or changed (a reload): nothing to copy.
		} else if (excluded <= ingestTuning.maxRowsInSet) {
			await exec(
				ctx,
				`INSERT INTO ${load} SELECT ${coreColumns(entity).join(', ')} FROM ${typedTable} WHERE _source_row NOT IN (${dropped})`
			);
		} else {
			// Millions of rows set aside: a sorting-merge join instead of an in-memory set. The merge
			// algorithm has no ANTI join; unmatched rows get row 0 (source rows count from 1).
			await exec(
				ctx,
				`INSERT INTO ${load} SELECT ${coreColumns(entity)
					.map((c) => `t.${c}`)
					.join(
						', '
					)} FROM ${typedTable} AS t LEFT JOIN (${dropped}) AS x ON t._source_row = x.row WHERE x.row = 0`,
				{},
				MERGE_JOIN
			);
		}
	}
	if (mode === 'snapshot') {
		// A row can have several problems (a duplicate key and an unknown reference): count rows.
		if (total - (await scalar(ctx, `SELECT uniqExact(row) AS n FROM ${excl}`)) <= 0) {
			throw new IngestError('file.snapshotEmpty', { file: ctx.file, entity: entity.name });
		}
		const cols = entity.columns.map((c) => c.name);
		await exec(
			ctx,
			`INSERT INTO ${load} SELECT ${cols.join(', ')}, {version:UInt64}, 1, {run_id:String}, 0, _hash
FROM ${entity.table} FINAL WHERE _deleted = 0 AND ${keyTuple(entity)} NOT IN (SELECT ${entity.key.join(', ')} FROM ${typedTable})
  AND ${keyTuple(entity)} NOT IN (${rejectedKeys})`,
			{ version: ctx.version }
		);
		deleted = await scalar(ctx, `SELECT count() AS n FROM ${load} WHERE _deleted = 1`);
	}
	const written = await scalar(ctx, `SELECT count() AS n FROM ${load}`);
	const counts: TableCounts = { new: written - deleted - updated, updated, unchanged, deleted };
	return { load: written > 0 ? load : null, counts, excl };
}

/** Attaches each load table's parts to its core table: one ALTER per table, atomic per table. */
async function commitTables(
	db: Db,
	tag: string,
	pairs: [core: string, load: string][]
): Promise<void> {
	for (const [core, load] of pairs) {
		if (db.cluster) {
			// Distributed tables cannot attach parts; on a cluster a commit is an INSERT per shard.
			await command(db, `INSERT INTO ${core} SELECT * FROM ${load}`, {}, { tag });
		} else {
			await command(db, `ALTER TABLE ${core} ATTACH PARTITION tuple() FROM ${load}`, {}, { tag });
		}
	}
}

async function dropTables(db: Db, tables: string[]): Promise<void> {
	// Views first: a materialized view must not outlive the table it writes to.
	const ordered = [...tables].sort(
		(a, b) => Number(b.includes('_mv_')) - Number(a.includes('_mv_'))
	);
	for (const t of ordered) {
		// SYNC: the files go now. Without it the engine keeps a dropped table's files for 8 minutes,
		// which a CLI load's process does not live to see, so each load's staging copy (300 MB per
		// 9.5M order lines) stayed on disk until a later process opened the data dir after that
		// delay; back-to-back loads filled the disk (15 GB after a few dozen bench loads).
		await command(db, `DROP TABLE IF EXISTS ${t} SYNC`, {}, { tag: 'ingest:cleanup' }).catch(
			() => undefined
		);
	}
}

function hashFile(file: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const h = createHash('sha256');
		createReadStream(file)
			.on('data', (c) => h.update(c))
			.on('error', reject)
			.on('end', () => resolve(h.digest('hex')));
	});
}

async function estimateRows(db: Db, src: SourceFile): Promise<number | undefined> {
	if (src.format === 'parquet') {
		const r = await queryOne<{ n: number }>(
			db,
			`SELECT count() AS n FROM file(${sqlString(src.path)}, 'Parquet')`,
			{},
			{ tag: 'ingest:estimate' }
		).catch(() => undefined);
		return r ? Number(r.n) : undefined;
	}
	if (src.compression !== 'none') return undefined;
	// Text: bytes per line in the first MiB, extrapolated (quoted newlines make it approximate).
	const fd = openSync(src.path, 'r');
	try {
		const buf = Buffer.alloc(1024 * 1024);
		const got = readSync(fd, buf, 0, buf.length, 0);
		let lines = 0;
		for (let i = 0; i < got; i++) if (buf[i] === 10) lines++;
		if (got < buf.length) return Math.max(0, lines - (src.format === 'jsonl' ? 0 : 1));
		return lines > 1 ? Math.round(src.bytes / (got / lines)) : undefined;
	} finally {
		closeSync(fd);
	}
}

/**
 * Loads one file into one entity (the flat order-line export into orders and order lines).
 * Never throws for a problem with the input: the result says `failed` with a reason the user can act
 * on, the run is recorded, and the core tables are exactly as they were.
 */
export async function loadFile(db: Db, opts: LoadOptions): Promise<LoadResult> {
	const started = Date.now();
	const runId = randomUUID();
	const ctx: RunContext = {
		db,
		runId,
		tag: `ingest:${opts.entity}`,
		version: nextVersion(),
		file: opts.file,
		entity: opts.entity,
		settings: ingestSettings(opts.mapping?.delimiter),
		trailingDelimiter: false,
		tables: [],
		refsInPass1: new Set()
	};
	const mode: LoadMode = opts.mode ?? opts.mapping?.mode ?? 'incremental';
	const base = {
		run_id: runId,
		entity: opts.entity,
		source_file: opts.file,
		file_hash: '',
		file_bytes: 0,
		format: opts.format ?? opts.mapping?.format ?? '',
		mode,
		mapping: opts.mappingLabel ?? '',
		triggered_by: opts.triggeredBy ?? 'cli',
		started_at: new Date(started).toISOString(),
		details: '',
		load_tables: [] as string[]
	};
	const result: LoadResult = {
		runId,
		entity: opts.entity,
		file: opts.file,
		status: 'failed',
		rowsRead: 0,
		rowsNew: 0,
		rowsUpdated: 0,
		rowsUnchanged: 0,
		rowsRejected: 0,
		rowsDeleted: 0,
		tables: {},
		durationMs: 0,
		rejects: [],
		ignoredColumns: []
	};
	await writeRun(db, { ...base, status: 'running' });
	const tmpDir = path.join(db.dataDir, 'tmp');
	mkdirSync(tmpDir, { recursive: true });
	let src: SourceFile | null = null;
	let committing = false;
	try {
		checkEntityName(opts.entity);
		src = await prepareSource(opts.file, {
			format: opts.format ?? opts.mapping?.format,
			encoding: opts.mapping?.encoding,
			tmpDir,
			runId
		});
		base.format = src.format;
		base.file_bytes = src.bytes;
		const hashing = hashFile(src.path);
		// Awaited before the commit; a run that fails sooner leaves it reading (its file may then be
		// deleted), and an error nobody awaits must not end the process.
		hashing.catch(() => undefined);
		const fileColumns = await readColumns(ctx, src);
		const headers = fileColumns.map((c) => c.name);
		const dup = headers.find((h, i) => headers.indexOf(h) !== i);
		if (dup !== undefined) {
			throw new IngestError('file.duplicateHeader', { file: src.label, column: dup });
		}
		ctx.trailingDelimiter = await trailingDelimiter(ctx, src, headers.length);
		const mapping = resolveMapping(
			opts.entity,
			headers,
			opts.mapping,
			opts.mappingLabel ?? '',
			`file ${src.label}`
		);
		result.ignoredColumns = mapping.ignored;
		for (const c of mapping.columns) {
			if (c.expr) await checkExpression(db, c.def.name, c.expr, fileColumns, src.label);
		}

		ctx.refsInPass1 = await smallReferences(ctx, inputColumns(opts.entity));
		const totalRows = await estimateRows(db, src);
		const progress = (phase: LoadProgress['phase'], rows: number) =>
			opts.onProgress?.({ phase, rows, totalRows });
		progress('reading', 0);

		const pairs: [string, string][] = [];
		if (opts.entity === FLAT_ORDER_LINES) {
			const flatCols = [...inputColumns(FLAT_ORDER_LINES).map((c) => c.name), ...META_COLUMNS];
			const flat = await createTemp(
				ctx,
				'flat',
				(n) =>
					`CREATE TABLE ${n} (${flatColumnsDdl()}) ENGINE = MergeTree ORDER BY (order_id, line_no)`
			);
			const rejected = await parsePass1(ctx, src, fileColumns, mapping, flat, flatCols, (n) =>
				progress('reading', n)
			);
			const parseRejected = await rejectedRows(ctx);
			progress('validating', await scalar(ctx, `SELECT count() AS n FROM ${flat}`));
			const orderAmountMapped = mapping.columns.some((c) => c.def.name === 'order_net_amount');
			const { orders, bad } = await flatOrders(ctx, flat, rejected, orderAmountMapped);
			const o = await stageForCommit(
				ctx,
				getEntity('orders'),
				orders,
				mode,
				`SELECT order_id FROM ${bad}`,
				refsForPass2(ctx, getEntity('orders'))
			);
			const lines = await flatLines(ctx, flat, orders, o.excl, bad);
			const l = await stageForCommit(
				ctx,
				getEntity('order_lines'),
				lines,
				mode,
				`SELECT order_id, line_no FROM ${rejected} UNION ALL SELECT order_id, line_no FROM ${flat} WHERE order_id IN (SELECT order_id FROM ${bad})`
			);
			result.tables = { orders: o.counts, order_lines: l.counts };
			if (o.load) pairs.push(['orders', o.load]);
			if (l.load) pairs.push(['order_lines', l.load]);
			result.rowsRead = (await scalar(ctx, `SELECT count() AS n FROM ${flat}`)) + parseRejected;
			Object.assign(result, sumCounts([l.counts]));
		} else {
			const entity = getEntity(opts.entity);
			const typed = await createTemp(ctx, 'typed', (n) => scratchCopy(n, entity));
			const rejected = await parsePass1(
				ctx,
				src,
				fileColumns,
				mapping,
				typed,
				coreColumns(entity),
				(n) => progress('reading', n)
			);
			const parseRejected = await rejectedRows(ctx);
			const parsed = await scalar(ctx, `SELECT count() AS n FROM ${typed}`);
			progress('validating', parsed);
			const staged = await stageForCommit(
				ctx,
				entity,
				typed,
				mode,
				`SELECT ${entity.key.join(', ')} FROM ${rejected}`,
				refsForPass2(ctx, entity)
			);
			result.tables = { [entity.table]: staged.counts };
			if (staged.load) pairs.push([entity.table, staged.load]);
			result.rowsRead = parsed + parseRejected;
			Object.assign(result, sumCounts([staged.counts]));
		}
		result.rowsRejected = await rejectedRows(ctx);
		base.file_hash = await hashing;

		progress('committing', result.rowsRead);
		committing = true;
		base.load_tables = pairs.map(([core, load]) => `${core}:${load}`);
		base.details = JSON.stringify({
			tables: result.tables,
			ignored_columns: result.ignoredColumns
		});
		await writeRun(db, { ...base, ...counts(result), status: 'committing' });
		await commitTables(db, ctx.tag, pairs);
		result.status = 'succeeded';
		result.durationMs = Date.now() - started;
		await writeRun(db, {
			...base,
			...counts(result),
			status: 'succeeded',
			finished_at: new Date().toISOString()
		});
		progress('done', result.rowsRead);
	} catch (e) {
		if (committing) throw e; // the commit is finished by recoverRuns, never half-undone
		result.status = 'failed';
		result.error =
			e instanceof IngestError
				? e.message
				: ingestMessage('run.failed', { reason: readableEngineError(e) });
		result.durationMs = Date.now() - started;
		await writeRun(db, {
			...base,
			...counts(result),
			status: 'failed',
			error: result.error,
			finished_at: new Date().toISOString()
		});
	} finally {
		// A commit that failed half-way keeps its load tables: recoverRuns rolls it forward.
		if (!committing || result.status === 'succeeded') await dropTables(db, ctx.tables);
		if (src?.temporary) rmSync(src.path, { force: true });
	}
	result.rejects = await queryRows<RejectRow>(
		db,
		'SELECT row_number, column, reason FROM ingest_rejects WHERE run_id = {run_id:String} ORDER BY row_number, column LIMIT 20',
		{ run_id: runId },
		{ tag: 'ingest:rejects' }
	);
	result.rejects = result.rejects.map((r) => ({ ...r, row_number: Number(r.row_number) }));
	return result;
}

/** Reference columns whose target table is small enough for an in-memory key set in pass 1. */
async function smallReferences(
	ctx: RunContext,
	columns: readonly ColumnDef[]
): Promise<Set<string>> {
	const small = new Set<string>();
	for (const col of columns) {
		if (!col.ref) continue;
		// count() without a filter is answered from part metadata.
		const n = await scalar(ctx, `SELECT count() AS n FROM ${getEntity(col.ref.entity).table}`);
		if (n <= ingestTuning.maxRefKeysInSet) small.add(col.name);
	}
	return small;
}

/** The entity's reference columns left for pass 2 (their tables are large). */
function refsForPass2(ctx: RunContext, entity: EntityDef): ColumnDef[] {
	return entity.columns.filter((c) => c.ref && !ctx.refsInPass1.has(c.name));
}

/** Distinct source rows with at least one reject so far in this run. */
function rejectedRows(ctx: RunContext): Promise<number> {
	return scalar(
		ctx,
		'SELECT uniqExact(row_number) AS n FROM ingest_rejects WHERE run_id = {run_id:String}'
	);
}

function counts(r: LoadResult) {
	return {
		rows_read: r.rowsRead,
		rows_new: r.rowsNew,
		rows_updated: r.rowsUpdated,
		rows_unchanged: r.rowsUnchanged,
		rows_rejected: r.rowsRejected,
		rows_deleted: r.rowsDeleted
	};
}

function sumCounts(list: TableCounts[]) {
	return {
		rowsNew: list.reduce((s, c) => s + c.new, 0),
		rowsUpdated: list.reduce((s, c) => s + c.updated, 0),
		rowsUnchanged: list.reduce((s, c) => s + c.unchanged, 0),
		rowsDeleted: list.reduce((s, c) => s + c.deleted, 0)
	};
}

function flatColumnsDdl(): string {
	const type = (t: string, nullable?: boolean) => {
		const base = nullableBase({ type: t }).replace(
			'Int64',
			t.startsWith('uint') ? t.replace('uint', 'UInt') : 'Int64'
		);
		return nullable ? `Nullable(${base})` : base;
	};
	return [
		...inputColumns(FLAT_ORDER_LINES).map((c) => `${c.name} ${type(c.type, c.nullable)}`),
		'_version UInt64',
		'_deleted UInt8',
		'_run_id String',
		'_source_row UInt64',
		'_hash UInt64'
	].join(', ');
}

/**
 * A core-shaped scratch table that is plain MergeTree: a ReplacingMergeTree could merge rows with a
 * duplicate key away in the background before the duplicate check sees them. Its parts attach to
 * the core table all the same, provided the sorting key is spelled as in the migrations (ATTACH
 * PARTITION compares them as written: `ORDER BY (a)` is not `ORDER BY a`).
 */
function scratchCopy(name: string, entity: EntityDef): string {
	const orderBy = entity.key.length === 1 ? entity.key[0] : keyTuple(entity);
	return `CREATE TABLE ${name} AS ${entity.table} ENGINE = MergeTree ORDER BY ${orderBy}`;
}

/**
 * The flat export repeats the order's fields on each line. An order is rejected whole (every line)
 * when its lines disagree on them, since there is no telling which line is right, or when one of
 * its lines was rejected, since its amount and lines would be incomplete. Returns the orders and
 * the table of rejected order ids.
 */
async function flatOrders(
	ctx: RunContext,
	flat: string,
	rejected: string,
	orderAmountMapped: boolean
): Promise<{ orders: string; bad: string }> {
	const header = 'account_id, ordered_at, status, currency, channel, order_net_amount';
	const bad = await createTemp(
		ctx,
		'flat_bad',
		(n) => `CREATE TABLE ${n} (order_id String) ENGINE = MergeTree ORDER BY order_id`
	);
	await exec(
		ctx,
		`INSERT INTO ${bad} SELECT order_id FROM ${flat} GROUP BY order_id HAVING uniqExact(${header}) > 1`
	);
	await exec(
		ctx,
		`INSERT INTO ingest_rejects (run_id, entity, source_file, row_number, column, reason, raw)
SELECT {run_id:String}, 'orders', {file:String}, _source_row, 'order_id', ${sqlMessage('reject.orderLinesDiffer', { order: 'order_id' })}, ''
FROM ${flat} WHERE order_id IN (SELECT order_id FROM ${bad})`,
		{ file: ctx.file }
	);
	const incomplete = `SELECT order_id, min(_source_row) AS first FROM ${rejected} WHERE order_id != '' GROUP BY order_id`;
	await exec(
		ctx,
		`INSERT INTO ingest_rejects (run_id, entity, source_file, row_number, column, reason, raw)
SELECT {run_id:String}, 'orders', {file:String}, f._source_row, 'order_id', ${sqlMessage('reject.orderIncomplete', { order: 'f.order_id', row: 'toString(r.first)' })}, ''
FROM ${flat} AS f INNER JOIN (${incomplete}) AS r ON f.order_id = r.order_id`,
		{ file: ctx.file }
	);
	await exec(ctx, `INSERT INTO ${bad} SELECT order_id FROM (${incomplete})`);
	const ordersEntity = getEntity('orders');
	const orders = await createTemp(ctx, 'orders', (n) => scratchCopy(n, ordersEntity));
	const amount = orderAmountMapped ? 'any(order_net_amount)' : 'sum(net_amount)';
	const orderCols = ordersEntity.columns.map((c) => c.name);
	await exec(
		ctx,
		`INSERT INTO ${orders} (${coreColumns(ordersEntity).join(', ')})
SELECT ${orderCols.join(', ')}, {version:UInt64}, 0, {run_id:String}, first_row, cityHash64(${orderCols.join(', ')})
FROM (
  SELECT order_id, any(account_id) AS account_id, any(ordered_at) AS ordered_at, any(status) AS status,
         any(currency) AS currency, toDecimal64(${amount}, 2) AS net_amount, any(channel) AS channel, min(_source_row) AS first_row
  FROM ${flat} WHERE order_id NOT IN (SELECT order_id FROM ${bad}) GROUP BY order_id
)`,
		{ version: ctx.version }
	);
	return { orders, bad };
}

/**
 * The lines of the orders staging accepted. An order it refused (e.g. for an unknown account) is
 * added to `bad` and its other lines are rejected with it: stored alone they would be orphans.
 */
async function flatLines(
	ctx: RunContext,
	flat: string,
	orders: string,
	ordersExcl: string,
	bad: string
): Promise<string> {
	const refused = `SELECT order_id, _source_row AS first FROM ${orders} WHERE _source_row IN (SELECT row FROM ${ordersExcl})`;
	await exec(ctx, `INSERT INTO ${bad} SELECT order_id FROM (${refused})`);
	await exec(
		ctx,
		`INSERT INTO ingest_rejects (run_id, entity, source_file, row_number, column, reason, raw)
SELECT {run_id:String}, 'order_lines', {file:String}, f._source_row, 'order_id', ${sqlMessage('reject.orderRejected', { order: 'f.order_id', row: 'toString(o.first)' })}, ''
FROM ${flat} AS f INNER JOIN (${refused}) AS o ON f.order_id = o.order_id
WHERE f._source_row != o.first`,
		{ file: ctx.file }
	);
	const linesEntity = getEntity('order_lines');
	const lines = await createTemp(ctx, 'lines', (n) => scratchCopy(n, linesEntity));
	const lineCols = linesEntity.columns.map((c) => c.name);
	await exec(
		ctx,
		`INSERT INTO ${lines} (${coreColumns(linesEntity).join(', ')})
SELECT ${lineCols.join(', ')}, _version, 0, _run_id, _source_row, cityHash64(${lineCols.join(', ')})
FROM ${flat} WHERE order_id NOT IN (SELECT order_id FROM ${bad})`
	);
	return lines;
}

/** Where `p` is after `from` (a file, or a folder and everything in it) moved to `to`. */
export function movedPath(p: string, from: string, to: string): string {
	if (p === from) return to;
	return p.startsWith(from + path.sep) ? to + p.slice(from.length) : p;
}

/**
 * Records that loaded files have moved (the drop folder files them under done/ or failed/ after
 * their load), so each run names a path that exists: in the runs' source_file and mapping, the
 * path `from` (a file, or a folder and everything in it) becomes `to`. The runs' rejects keep the
 * path their rows were read from.
 */
export async function recordSourceMoved(
	db: Db,
	runIds: readonly string[],
	from: string,
	to: string
): Promise<void> {
	for (const runId of runIds) {
		const row = await queryOne<
			Record<string, unknown> & { source_file: string; mapping: string; _ms: number | string }
		>(
			db,
			'SELECT *, toUnixTimestamp64Milli(updated_at) AS _ms FROM ingest_runs FINAL WHERE run_id = {id:String}',
			{ id: runId },
			{ tag: 'ingest:moved' }
		);
		if (!row) continue;
		// Versions are the update time in ms: a move within the run's last millisecond must still win.
		const { _ms, ...run } = row;
		await writeRun(
			db,
			{
				...run,
				source_file: movedPath(run.source_file, from, to),
				mapping: movedPath(run.mapping, from, to)
			},
			Number(_ms)
		);
	}
}

export interface RecoveredRun {
	runId: string;
	action: 'rolled-forward' | 'marked-failed';
}

/**
 * Finishes what a killed process left: a run that was committing is committed again from its load
 * tables (attaching twice is harmless: ReplacingMergeTree keeps one copy per key and version); a
 * run that was still reading or validating is marked failed and its scratch tables dropped. Core
 * tables never saw its rows. Safe only where one process runs loads (embedded, or TENURE_JOBS=on).
 */
export async function recoverRuns(db: Db): Promise<RecoveredRun[]> {
	const stuck = await queryRows<{ run_id: string; status: string; load_tables: string[] }>(
		db,
		"SELECT run_id, status, load_tables FROM ingest_runs FINAL WHERE status IN ('running', 'committing')",
		{},
		{ tag: 'ingest:recover' }
	);
	const out: RecoveredRun[] = [];
	for (const run of stuck) {
		const full = await queryOne<Record<string, unknown>>(
			db,
			'SELECT * FROM ingest_runs FINAL WHERE run_id = {id:String}',
			{ id: run.run_id },
			{ tag: 'ingest:recover' }
		);
		if (run.status === 'committing') {
			const pairs = run.load_tables.map((p) => p.split(':') as [string, string]);
			await commitTables(db, 'ingest:recover', pairs);
			await writeRun(db, {
				...full,
				status: 'succeeded',
				finished_at: new Date().toISOString(),
				error: ingestMessage('run.rolledForward')
			});
			out.push({ runId: run.run_id, action: 'rolled-forward' });
		} else {
			await writeRun(db, {
				...full,
				status: 'failed',
				finished_at: new Date().toISOString(),
				error: ingestMessage('run.interrupted')
			});
			out.push({ runId: run.run_id, action: 'marked-failed' });
		}
	}
	const leftovers = await queryRows<{ name: string }>(
		db,
		"SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '_ing_')",
		{},
		{ tag: 'ingest:recover' }
	);
	await dropTables(
		db,
		leftovers.map((t) => t.name)
	);
	return out;
}
