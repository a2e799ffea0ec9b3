import { afterAll, beforeAll, expect, test } from 'vitest';
import { ingestTuning, loadFile } from '../../ingest/load.ts';
import { parseMapping } from '../../ingest/mapping.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { seedAccounts } from '../factories/accounts.ts';
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
	// Every reference is checked in pass 2 (the path for large referenced tables).
	ingestTuning.maxRefKeysInSet = 0;
	await seedAccounts(t.db, files, [['LP-A', 'Alpha']]);
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

test('references to a large table are checked after parsing, with the same reasons', async () => {
	const file = files.write(
		'orders.csv',
		csv([
			['order_id', 'account_id', 'ordered_at', 'status', 'currency', 'net_amount'],
			['LO-1', 'LP-A', '2025-01-01', 'paid', 'CNY', '10'],
			['LO-2', 'LP-NOPE', '2025-01-02', 'paid', 'CNY', '20'],
			['LO-3', 'LP-A', '2025-01-03', 'paid', 'CNY', '30']
		])
	);
	const r = await loadFile(t.db, { entity: 'orders', file });
	expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 2, 1]);
	expect(r.rejects).toEqual([
		{
			row_number: 2,
			column: 'account_id',
			reason: 'unknown account_id "LP-NOPE": there is no such account_id in accounts'
		}
	]);
	expect(
		await rows(
			t.db,
			"SELECT order_id FROM orders FINAL WHERE order_id LIKE 'LO-%' ORDER BY order_id"
		)
	).toEqual([{ order_id: 'LO-1' }, { order_id: 'LO-3' }]);
});

test('a flat export whose order names an unknown account loses the order and all its lines', async () => {
	const mapping = parseMapping({ entity: 'order_lines_flat', columns: {} }, 'flat.mapping.json');
	const file = files.write(
		'flat.csv',
		csv([
			[
				'order_id',
				'line_no',
				'account_id',
				'ordered_at',
				'status',
				'currency',
				'sku',
				'quantity',
				'net_amount'
			],
			['LF-1', '1', 'LP-A', '2025-02-01', 'paid', 'CNY', 'S-1', '1', '5'],
			['LF-1', '2', 'LP-A', '2025-02-01', 'paid', 'CNY', 'S-2', '1', '7'],
			['LF-2', '1', 'LP-GONE', '2025-02-02', 'paid', 'CNY', 'S-1', '2', '10'],
			['LF-2', '2', 'LP-GONE', '2025-02-02', 'paid', 'CNY', 'S-2', '1', '7']
		])
	);
	const r = await loadFile(t.db, { entity: 'order_lines_flat', file, mapping });
	expect(r.error).toBeUndefined();
	expect(r.tables.orders?.new).toBe(1);
	expect(r.tables.order_lines?.new).toBe(2);
	expect(r.rowsRejected).toBe(2);
	expect(
		await rows(
			t.db,
			"SELECT order_id, toString(net_amount) AS a FROM orders FINAL WHERE order_id LIKE 'LF-%'"
		)
	).toEqual([{ order_id: 'LF-1', a: '12' }]);
	expect(
		await rows(t.db, "SELECT count() AS n FROM order_lines FINAL WHERE order_id = 'LF-2'")
	).toEqual([{ n: 0 }]);
});
