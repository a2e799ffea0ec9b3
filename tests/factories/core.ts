import type { Db } from '../../sql/client.ts';
import { loadFile } from '../../ingest/load.ts';
import { csv, type fixtureDir } from './files.ts';

let seq = 0;

/**
 * Loads hand-built rows of one entity through the real ingest path (a CSV with the rows' keys as
 * headers; the entity's own column names, so no mapping). Values: strings, numbers, or null/''
 * for empty. Datetimes are written as local times of TENURE_TZ (the ingest converts them to UTC),
 * e.g. '2026-01-31 23:30:00'. Throws when the load fails or rejects a row: a broken set-up must
 * not pass as a test result.
 */
export async function loadEntity(
	db: Db,
	files: ReturnType<typeof fixtureDir>,
	entity: string,
	rows: readonly Readonly<Record<string, string | number | null>>[],
	mode: 'incremental' | 'snapshot' = 'incremental'
): Promise<void> {
	if (!rows.length) return;
	const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const file = files.write(
		`${entity}-${++seq}.csv`,
		csv([headers, ...rows.map((r) => headers.map((h) => r[h] ?? ''))])
	);
	const result = await loadFile(db, { entity, file, mode });
	if (result.status !== 'succeeded' || result.rowsRejected > 0) {
		throw new Error(
			`loading ${entity} test rows failed: ${result.error ?? `${result.rowsRejected} rejected: ${JSON.stringify(result.rejects.slice(0, 3))}`}`
		);
	}
}

/** An order row for loadEntity: counted ('completed') in CNY unless told otherwise. */
export const orderRow = (
	id: string,
	account: string,
	at: string,
	amount: number,
	status = 'completed'
) => ({
	order_id: id,
	account_id: account,
	ordered_at: at,
	status,
	currency: 'CNY',
	net_amount: amount
});
