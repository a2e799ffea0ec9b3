import { afterAll, beforeAll, expect, test } from 'vitest';
import { ingestTuning, loadFile } from '../../ingest/load.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { csv, fixtureDir } from '../factories/files.ts';

/**
 * Large loads switch strategy (a sorting-merge join against stored rows, an anti join for many
 * set-aside rows). Lowering the thresholds makes these small files take the large-file paths, so
 * the counts below, worked out by hand, check those paths too.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const saved = { ...ingestTuning };
beforeAll(async () => {
	t = await openTestDb();
	ingestTuning.smallLoadRows = 2;
	ingestTuning.maxRowsInSet = 1;
});
afterAll(async () => {
	Object.assign(ingestTuning, saved);
	await t.cleanup();
	files.cleanup();
});

const header = ['sku', 'name', 'category', 'list_price', 'unit_cost'];

test('a reload through the large-file paths writes nothing and counts every row unchanged', async () => {
	const file = files.write(
		'products.csv',
		csv([
			header,
			['P-1', 'One', 'A', '10.00', '4.00'],
			['P-2', 'Two', 'A', '20.00', '8.00'],
			['P-3', 'Three', 'B', '30.00', '12.00'],
			['P-4', 'Four', 'B', '40.00', '16.00']
		])
	);
	const first = await loadFile(t.db, { entity: 'products', file });
	expect([first.rowsNew, first.rowsUpdated, first.rowsUnchanged]).toEqual([4, 0, 0]);
	const again = await loadFile(t.db, { entity: 'products', file });
	expect([again.status, again.rowsNew, again.rowsUpdated, again.rowsUnchanged]).toEqual([
		'succeeded',
		0,
		0,
		4
	]);
	const stored = await rows<{ n: number }>(t.db, 'SELECT count() AS n FROM products');
	expect(Number(stored[0]!.n)).toBe(4);
});

test('with many rows set aside, the anti join keeps exactly the new and changed rows', async () => {
	// P-1, P-2 unchanged (2 set aside > maxRowsInSet = 1); P-3 changed; P-9 new; P-8 rejected.
	const file = files.write(
		'products-2.csv',
		csv([
			header,
			['P-1', 'One', 'A', '10.00', '4.00'],
			['P-2', 'Two', 'A', '20.00', '8.00'],
			['P-3', 'Three', 'B', '33.00', '12.00'],
			['P-9', 'Nine', 'C', '90.00', '36.00'],
			['P-8', 'Eight', 'C', 'cheap', '1.00']
		])
	);
	const r = await loadFile(t.db, { entity: 'products', file });
	expect(r.error).toBeUndefined();
	expect([r.rowsRead, r.rowsNew, r.rowsUpdated, r.rowsUnchanged, r.rowsRejected]).toEqual([
		5, 1, 1, 2, 1
	]);
	expect(
		await rows(t.db, 'SELECT sku, toString(list_price) AS p FROM products FINAL ORDER BY sku')
	).toEqual([
		{ sku: 'P-1', p: '10' },
		{ sku: 'P-2', p: '20' },
		{ sku: 'P-3', p: '33' },
		{ sku: 'P-4', p: '40' },
		{ sku: 'P-9', p: '90' }
	]);
	// Only the changed and the new row were written as new versions.
	const written = await rows<{ n: number }>(
		t.db,
		`SELECT count() AS n FROM products WHERE _run_id = '${r.runId}'`
	);
	expect(Number(written[0]!.n)).toBe(2);
});
