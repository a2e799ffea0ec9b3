import type { Db } from '../../../sql/client.ts';
import { loadQuery, queryOne, queryRows } from '../../../sql/query.ts';
import type { RejectEntry, RunDetail, RunStatus, RunSummary } from '../runs.ts';

// Read models for the load history (ingest_runs / ingest_rejects). Counts are converted with
// Number(): chDB returns UInt64 as numbers, a ClickHouse server may quote them (TOOLCHAIN.md #5).

type Raw = Record<string, unknown>;

const num = (v: unknown): number => Number(v ?? 0);

function toSummary(r: Raw): RunSummary {
	return {
		runId: String(r.run_id),
		entity: String(r.entity),
		sourceFile: String(r.source_file),
		status: String(r.status) as RunStatus,
		mode: String(r.mode),
		rowsRead: num(r.rows_read),
		rowsNew: num(r.rows_new),
		rowsUpdated: num(r.rows_updated),
		rowsUnchanged: num(r.rows_unchanged),
		rowsRejected: num(r.rows_rejected),
		rowsDeleted: num(r.rows_deleted),
		triggeredBy: String(r.triggered_by),
		error: String(r.error ?? ''),
		startedMs: num(r.started_ms),
		finishedMs: r.finished_ms == null ? null : num(r.finished_ms)
	};
}

export async function listRuns(db: Db, limit: number, offset = 0): Promise<RunSummary[]> {
	const rows = await queryRows<Raw>(
		db,
		loadQuery('ingest-runs-page'),
		{ limit, offset },
		{ tag: 'portal:runs' }
	);
	return rows.map(toSummary);
}

export async function countRuns(db: Db): Promise<number> {
	const row = await queryOne<Raw>(
		db,
		loadQuery('ingest-runs-count'),
		{},
		{ tag: 'portal:runs-count' }
	);
	return num(row?.n);
}

export async function getRun(db: Db, runId: string): Promise<RunDetail | null> {
	const r = await queryOne<Raw>(
		db,
		loadQuery('ingest-run'),
		{ run_id: runId },
		{ tag: 'portal:run' }
	);
	if (!r) return null;
	let details: { tables?: RunDetail['tables']; ignored_columns?: string[] } = {};
	try {
		details = r.details ? JSON.parse(String(r.details)) : {};
	} catch {
		// An unreadable details column only hides the per-table breakdown; the run is still shown.
	}
	return {
		...toSummary(r),
		fileHash: String(r.file_hash),
		fileBytes: num(r.file_bytes),
		format: String(r.format),
		mapping: String(r.mapping),
		tables: details.tables ?? {},
		ignoredColumns: details.ignored_columns ?? []
	};
}

export async function listRejects(
	db: Db,
	runId: string,
	limit: number,
	offset: number
): Promise<RejectEntry[]> {
	const rows = await queryRows<Raw>(
		db,
		loadQuery('ingest-rejects-page'),
		{ run_id: runId, limit, offset },
		{ tag: 'portal:rejects' }
	);
	return rows.map((r) => ({
		rowNumber: num(r.row_number),
		column: String(r.column),
		reason: String(r.reason),
		raw: String(r.raw)
	}));
}

export async function countRejects(db: Db, runId: string): Promise<number> {
	const row = await queryOne<Raw>(
		db,
		loadQuery('ingest-rejects-count'),
		{ run_id: runId },
		{ tag: 'portal:rejects-count' }
	);
	return num(row?.n);
}
