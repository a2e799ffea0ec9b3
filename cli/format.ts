import type { LoadResult } from '../ingest/load.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** The one-line summary printed after each load. */
export function summaryLine(r: LoadResult): string {
	const secs = (r.durationMs / 1000).toFixed(1);
	if (r.status === 'failed') return `✗ ${r.entity} ← ${r.file}: ${r.error} (run ${r.runId})`;
	const rate =
		r.durationMs > 0 ? ` (${n(Math.round(r.rowsRead / (r.durationMs / 1000)))} rows/s)` : '';
	const parts = [
		`${n(r.rowsRead)} read`,
		`${n(r.rowsNew)} new`,
		`${n(r.rowsUpdated)} updated`,
		`${n(r.rowsUnchanged)} unchanged`,
		`${n(r.rowsRejected)} rejected`
	];
	if (r.rowsDeleted) parts.push(`${n(r.rowsDeleted)} deleted`);
	return `✓ ${r.entity} ← ${r.file}: ${parts.join(', ')} in ${secs} s${rate} (run ${r.runId})`;
}

export function rejectLines(r: LoadResult): string[] {
	if (!r.rejects.length) return [];
	const lines = r.rejects.map(
		(x) => `    row ${x.row_number}${x.column ? `, ${x.column}` : ''}: ${x.reason}`
	);
	if (r.rowsRejected > r.rejects.length) {
		lines.push(
			`    … ${n(r.rowsRejected - r.rejects.length)} more rows: tenure rejects ${r.runId}`
		);
	}
	return lines;
}
