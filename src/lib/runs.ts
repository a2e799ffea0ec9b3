// Shapes of the load history as pages receive them (server and browser alike).

export type RunStatus = 'running' | 'committing' | 'succeeded' | 'failed';

export interface RunSummary {
	runId: string;
	entity: string;
	sourceFile: string;
	status: RunStatus;
	mode: string;
	rowsRead: number;
	rowsNew: number;
	rowsUpdated: number;
	rowsUnchanged: number;
	rowsRejected: number;
	rowsDeleted: number;
	triggeredBy: string;
	error: string;
	startedMs: number;
	finishedMs: number | null;
}

export interface TableCounts {
	new: number;
	updated: number;
	unchanged: number;
	deleted: number;
}

export interface RunDetail extends RunSummary {
	fileHash: string;
	fileBytes: number;
	format: string;
	mapping: string;
	tables: Record<string, TableCounts>;
	ignoredColumns: string[];
}

export interface RejectEntry {
	rowNumber: number;
	column: string;
	reason: string;
	raw: string;
}

/**
 * A stored path shown as its file name. Uploads are saved as `uploads/<uuid>/<name>`; older ones
 * as `uploads/<uuid>-<name>`, whose prefix is dropped here.
 */
export function displayFileName(file: string): string {
	const base = file.split(/[\\/]/).pop() ?? file;
	return base.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/, '');
}

export function durationMs(run: Pick<RunSummary, 'startedMs' | 'finishedMs'>): number | null {
	return run.finishedMs == null ? null : Math.max(0, run.finishedMs - run.startedMs);
}
