import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadFile } from '../../ingest/load.ts';
import { parseMapping } from '../../ingest/mapping.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { seedAccounts } from '../factories/accounts.ts';
import { csv, fixtureDir } from '../factories/files.ts';

/**
 * The ERP's flat export: one row per order line with the order's fields repeated on every line,
 * loaded as orders plus order lines.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
beforeAll(async () => {
	t = await openTestDb();
	await seedAccounts(t.db, files, [
		['FL-A', 'Alpha'],
		['FL-B', 'Beta']
	]);
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

const header = [
	'订单号',
	'行号',
	'客户编号',
	'下单时间',
	'订单状态',
	'币种',
	'渠道',
	'物料编码',
	'数量',
	'单价',
	'行金额'
];
const mapping = parseMapping(
	{
		entity: 'order_lines_flat',
		columns: {
			订单号: 'order_id',
			行号: 'line_no',
			客户编号: 'account_id',
			下单时间: 'ordered_at',
			订单状态: {
				to: 'status',
				values: { 已完成: 'completed', 已付款: 'paid', 已取消: 'cancelled' }
			},
			币种: 'currency',
			渠道: 'channel',
			物料编码: 'sku',
			数量: 'quantity',
			单价: 'unit_price',
			行金额: 'net_amount'
		}
	},
	'erp.mapping.json'
);

test('a flat export loads orders and their lines; an order is the sum of its lines', async () => {
	const file = files.write(
		'erp-1.csv',
		csv([
			header,
			['FO-1', 1, 'FL-A', '2025-01-10 10:00:00', '已完成', 'CNY', '线上', 'SKU-A', 2, 50, '100.00'],
			[
				'FO-1',
				2,
				'FL-A',
				'2025-01-10 10:00:00',
				'已完成',
				'CNY',
				'线上',
				'SKU-B',
				1,
				'250.5',
				'250.50'
			],
			['FO-1', 3, 'FL-A', '2025-01-10 10:00:00', '已完成', 'CNY', '线上', 'SKU-C', 3, 10, 30],
			[
				'FO-2',
				1,
				'FL-B',
				'2025-01-11 09:00:00',
				'已付款',
				'CNY',
				'门店',
				'SKU-A',
				1,
				'99.99',
				'99.99'
			]
		])
	);
	const r = await loadFile(t.db, { entity: 'order_lines_flat', file, mapping });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsRead, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 4, 4, 0]);
	expect(r.tables.orders).toEqual({ new: 2, updated: 0, unchanged: 0, deleted: 0 });
	expect(r.tables.order_lines).toEqual({ new: 4, updated: 0, unchanged: 0, deleted: 0 });
	// FO-1: 100.00 + 250.50 + 30 = 380.50. 10:00 in Shanghai is 02:00 UTC.
	expect(
		await rows(
			t.db,
			`SELECT order_id, account_id, toString(ordered_at) AS ordered_at, status, currency, channel,
			        toString(net_amount) AS net_amount, _source_row
			 FROM orders FINAL WHERE order_id LIKE 'FO-%' ORDER BY order_id`
		)
	).toEqual([
		{
			order_id: 'FO-1',
			account_id: 'FL-A',
			ordered_at: '2025-01-10 02:00:00',
			status: 'completed',
			currency: 'CNY',
			channel: '线上',
			net_amount: '380.5',
			_source_row: 1
		},
		{
			order_id: 'FO-2',
			account_id: 'FL-B',
			ordered_at: '2025-01-11 01:00:00',
			status: 'paid',
			currency: 'CNY',
			channel: '门店',
			net_amount: '99.99',
			_source_row: 4
		}
	]);
	expect(
		await rows(
			t.db,
			`SELECT order_id, line_no, sku, toString(quantity) AS quantity, toString(unit_price) AS unit_price, toString(net_amount) AS net_amount
			 FROM order_lines FINAL WHERE order_id LIKE 'FO-%' ORDER BY order_id, line_no`
		)
	).toEqual([
		{
			order_id: 'FO-1',
			line_no: 1,
			sku: 'SKU-A',
			quantity: '2',
			unit_price: '50',
			net_amount: '100'
		},
		{
			order_id: 'FO-1',
			line_no: 2,
			sku: 'SKU-B',
			quantity: '1',
			unit_price: '250.5',
			net_amount: '250.5'
		},
		{
			order_id: 'FO-1',
			line_no: 3,
			sku: 'SKU-C',
			quantity: '3',
			unit_price: '10',
			net_amount: '30'
		},
		{
			order_id: 'FO-2',
			line_no: 1,
			sku: 'SKU-A',
			quantity: '1',
			unit_price: '99.99',
			net_amount: '99.99'
		}
	]);
});

test('an order whose lines disagree on account or status is rejected with all its lines', async () => {
	const file = files.write(
		'erp-2.csv',
		csv([
			header,
			['FO-3', 1, 'FL-A', '2025-01-12 00:00:00', '已完成', 'CNY', '线上', 'SKU-A', 1, 10, 10],
			['FO-3', 2, 'FL-B', '2025-01-12 00:00:00', '已完成', 'CNY', '线上', 'SKU-B', 1, 10, 10],
			['FO-4', 1, 'FL-A', '2025-01-13 00:00:00', '已取消', 'CNY', '线上', 'SKU-A', 1, 5, 5],
			['FO-4', 2, 'FL-A', '2025-01-13 00:00:00', '已付款', 'CNY', '线上', 'SKU-A', 1, 5, 5],
			['FO-6', 1, 'FL-B', '2025-01-15 00:00:00', '已付款', 'CNY', '线上', 'SKU-A', 4, 2, 8]
		])
	);
	const r = await loadFile(t.db, { entity: 'order_lines_flat', file, mapping });
	expect([r.status, r.rowsRead, r.rowsRejected]).toEqual(['succeeded', 5, 4]);
	expect(r.tables.orders?.new).toBe(1);
	expect(r.tables.order_lines?.new).toBe(1);
	const why = (o: string) =>
		`order ${o}: its lines differ in account, date, status, currency, channel or order amount`;
	expect(r.rejects).toEqual([
		{ row_number: 1, column: 'order_id', reason: why('FO-3') },
		{ row_number: 2, column: 'order_id', reason: why('FO-3') },
		{ row_number: 3, column: 'order_id', reason: why('FO-4') },
		{ row_number: 4, column: 'order_id', reason: why('FO-4') }
	]);
	expect(
		await rows(
			t.db,
			`SELECT order_id FROM orders FINAL WHERE order_id IN ('FO-3', 'FO-4', 'FO-6') ORDER BY order_id`
		)
	).toEqual([{ order_id: 'FO-6' }]);
	expect(
		await rows(
			t.db,
			`SELECT order_id, line_no FROM order_lines FINAL WHERE order_id IN ('FO-3', 'FO-4', 'FO-6') ORDER BY order_id, line_no`
		)
	).toEqual([{ order_id: 'FO-6', line_no: 1 }]);
});

test('an order for an unknown account is rejected and none of its lines are stored', async () => {
	const file = files.write(
		'erp-3.csv',
		csv([
			header,
			['FO-5', 1, 'FL-NOPE', '2025-01-14 00:00:00', '已完成', 'CNY', '线上', 'SKU-A', 1, 7, 7],
			['FO-5', 2, 'FL-NOPE', '2025-01-14 00:00:00', '已完成', 'CNY', '线上', 'SKU-B', 1, 8, 8],
			['FO-7', 1, 'FL-A', '2025-01-16 00:00:00', '已完成', 'CNY', '线上', 'SKU-B', 1, 3, 3]
		])
	);
	const r = await loadFile(t.db, { entity: 'order_lines_flat', file, mapping });
	expect(r.status).toBe('succeeded');
	expect(r.rejects).toEqual([
		{
			row_number: 1,
			column: 'account_id',
			reason: 'unknown account_id "FL-NOPE": there is no such account_id in accounts'
		},
		{
			row_number: 2,
			column: 'account_id',
			reason: 'unknown account_id "FL-NOPE": there is no such account_id in accounts'
		}
	]);
	expect(r.rowsRejected).toBe(2);
	expect(r.tables.orders?.new).toBe(1);
	expect(r.tables.order_lines?.new).toBe(1);
	expect(
		await rows(
			t.db,
			`SELECT order_id FROM orders FINAL WHERE order_id IN ('FO-5', 'FO-7') ORDER BY order_id`
		)
	).toEqual([{ order_id: 'FO-7' }]);
	expect(
		await rows(
			t.db,
			`SELECT order_id, line_no FROM order_lines FINAL WHERE order_id IN ('FO-5', 'FO-7') ORDER BY order_id, line_no`
		)
	).toEqual([{ order_id: 'FO-7', line_no: 1 }]);
});

test('a mapped order amount is used as is instead of the sum of the lines', async () => {
	const file = files.write(
		'erp-4.csv',
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
				'net_amount',
				'order_net_amount'
			],
			['FO-8', 1, 'FL-B', '2025-01-17', 'paid', 'CNY', 'SKU-A', 1, 60, 95],
			['FO-8', 2, 'FL-B', '2025-01-17', 'paid', 'CNY', 'SKU-B', 1, 40, 95]
		])
	);
	const r = await loadFile(t.db, { entity: 'order_lines_flat', file });
	expect([r.status, r.rowsRejected]).toEqual(['succeeded', 0]);
	// Lines sum to 100; the order's own amount (95, after an order-level discount) wins.
	expect(
		await rows(
			t.db,
			`SELECT toString(net_amount) AS net_amount FROM orders FINAL WHERE order_id = 'FO-8'`
		)
	).toEqual([{ net_amount: '95' }]);
});

test('an order with one unreadable line is rejected whole, not loaded with a wrong total', async () => {
	const file = files.write(
		'erp-5.csv',
		csv([
			header,
			['FO-9', 1, 'FL-A', '2025-01-18 00:00:00', '已完成', 'CNY', '线上', 'SKU-A', 1, 70, 70],
			['FO-9', 2, 'FL-A', '2025-01-18 00:00:00', '已完成', 'CNY', '线上', 'SKU-B', 'two', 15, 30],
			['FO-10', 1, 'FL-B', '2025-01-18 00:00:00', '已完成', 'CNY', '线上', 'SKU-B', 1, 12, 12]
		])
	);
	const r = await loadFile(t.db, { entity: 'order_lines_flat', file, mapping });
	expect([r.status, r.rowsRead, r.rowsRejected]).toEqual(['succeeded', 3, 2]);
	expect(r.rejects).toEqual([
		{
			row_number: 1,
			column: 'order_id',
			reason: 'order FO-9: its line in row 2 was rejected, so the order would be incomplete'
		},
		{ row_number: 2, column: 'quantity', reason: 'is not a valid number: "two"' }
	]);
	expect(
		await rows(
			t.db,
			`SELECT order_id FROM orders FINAL WHERE order_id IN ('FO-9', 'FO-10') ORDER BY order_id`
		)
	).toEqual([{ order_id: 'FO-10' }]);
	expect(
		await rows(
			t.db,
			`SELECT order_id, line_no FROM order_lines FINAL WHERE order_id IN ('FO-9', 'FO-10')`
		)
	).toEqual([{ order_id: 'FO-10', line_no: 1 }]);
});

test('a flat snapshot keeps the stored orders and lines whose new rows were rejected', async () => {
	// Stored so far: orders FO-1 (3 lines), FO-2, FO-6, FO-7, FO-8 (2 lines) and FO-10: 6 orders, 9
	// lines. The snapshot repeats FO-1 unchanged, has an unreadable line for FO-2 (kept as stored)
	// and lacks the other 4 orders, which are deleted with their 5 lines.
	const file = files.write(
		'erp-6.csv',
		csv([
			header,
			['FO-1', 1, 'FL-A', '2025-01-10 10:00:00', '已完成', 'CNY', '线上', 'SKU-A', 2, 50, '100.00'],
			[
				'FO-1',
				2,
				'FL-A',
				'2025-01-10 10:00:00',
				'已完成',
				'CNY',
				'线上',
				'SKU-B',
				1,
				'250.5',
				'250.50'
			],
			['FO-1', 3, 'FL-A', '2025-01-10 10:00:00', '已完成', 'CNY', '线上', 'SKU-C', 3, 10, 30],
			[
				'FO-2',
				1,
				'FL-B',
				'2025-01-11 09:00:00',
				'已付款',
				'CNY',
				'门店',
				'SKU-A',
				1,
				'99.99',
				'lots'
			]
		])
	);
	const r = await loadFile(t.db, { entity: 'order_lines_flat', file, mapping, mode: 'snapshot' });
	expect(r.error).toBeUndefined();
	expect(r.tables.orders).toEqual({ new: 0, updated: 0, unchanged: 1, deleted: 4 });
	expect(r.tables.order_lines).toEqual({ new: 0, updated: 0, unchanged: 3, deleted: 5 });
	expect(
		await rows(
			t.db,
			`SELECT order_id FROM orders FINAL WHERE order_id LIKE 'FO-%' ORDER BY order_id`
		)
	).toEqual([{ order_id: 'FO-1' }, { order_id: 'FO-2' }]);
	expect(
		await rows(
			t.db,
			`SELECT order_id, line_no FROM order_lines FINAL WHERE order_id LIKE 'FO-%' ORDER BY order_id, line_no`
		)
	).toEqual([
		{ order_id: 'FO-1', line_no: 1 },
		{ order_id: 'FO-1', line_no: 2 },
		{ order_id: 'FO-1', line_no: 3 },
		{ order_id: 'FO-2', line_no: 1 }
	]);
});
