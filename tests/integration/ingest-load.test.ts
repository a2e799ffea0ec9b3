import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadFile } from '../../ingest/load.ts';
import { parseMapping } from '../../ingest/mapping.ts';
import { count, openTestDb, rows } from '../factories/db.ts';
import { csv, fixtureDir } from '../factories/files.ts';

/**
 * Loads that succeed: typing through a mapping, reloads that write nothing, snapshot deletes.
 * Each test uses its own keys (or its own table), so tests in this file never see each other's rows.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
beforeAll(async () => {
	t = await openTestDb();
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

describe('happy path', () => {
	test('accounts with Chinese headers, a date format and a derived column land typed', async () => {
		const file = files.write(
			'客户.csv',
			csv([
				['客户编号', '客户名称', '行业', '区域', '客户经理', '创建日期', '备注'],
				['KA-001', '华为技术', '制造业', '华南', 'li@example.cn', '2023/01/15', '重点客户'],
				['SM-002', '小米科技', '消费电子', '华北', 'wang@example.cn', '2024/12/31', ''],
				['SM-003', '蔚来, 汽车', '汽车', '华东', '', '2025/01/20', '']
			])
		);
		const mapping = parseMapping(
			{
				entity: 'accounts',
				columns: {
					客户编号: 'account_id',
					客户名称: 'name',
					行业: 'industry',
					区域: 'region',
					客户经理: 'owner_email',
					创建日期: { to: 'created_at', format: '%Y/%m/%d' }
				},
				derived: { segment: "if(startsWith(`客户编号`, 'KA'), 'enterprise', 'smb')" }
			},
			'accounts.mapping.json'
		);
		const r = await loadFile(t.db, {
			entity: 'accounts',
			file,
			mapping,
			mappingLabel: 'accounts.mapping.json'
		});

		expect(r.error).toBeUndefined();
		expect(r.status).toBe('succeeded');
		expect([r.rowsRead, r.rowsNew, r.rowsUpdated, r.rowsUnchanged, r.rowsRejected]).toEqual([
			3, 3, 0, 0, 0
		]);
		expect(r.ignoredColumns).toEqual(['备注']);
		// Dates are local to TENURE_TZ (Asia/Shanghai, UTC+8) and stored in UTC: midnight on the 15th
		// in Shanghai is 16:00 on the 14th in UTC.
		expect(
			await rows(
				t.db,
				`SELECT account_id, name, industry, region, segment, owner_email, toString(created_at) AS created_at
				 FROM accounts FINAL WHERE account_id IN ('KA-001', 'SM-002', 'SM-003') ORDER BY account_id`
			)
		).toEqual([
			{
				account_id: 'KA-001',
				name: '华为技术',
				industry: '制造业',
				region: '华南',
				segment: 'enterprise',
				owner_email: 'li@example.cn',
				created_at: '2023-01-14 16:00:00'
			},
			{
				account_id: 'SM-002',
				name: '小米科技',
				industry: '消费电子',
				region: '华北',
				segment: 'smb',
				owner_email: 'wang@example.cn',
				created_at: '2024-12-30 16:00:00'
			},
			{
				account_id: 'SM-003',
				name: '蔚来, 汽车',
				industry: '汽车',
				region: '华东',
				segment: 'smb',
				owner_email: '',
				created_at: '2025-01-19 16:00:00'
			}
		]);
		// Lineage: each row names the run and its record number in the file (1 = first data row).
		expect(
			await rows(
				t.db,
				`SELECT account_id, _run_id, _source_row FROM accounts FINAL WHERE account_id IN ('KA-001', 'SM-003') ORDER BY account_id`
			)
		).toEqual([
			{ account_id: 'KA-001', _run_id: r.runId, _source_row: 1 },
			{ account_id: 'SM-003', _run_id: r.runId, _source_row: 3 }
		]);
		expect(
			await rows(
				t.db,
				`SELECT status, rows_read, rows_new, entity, mapping FROM ingest_runs FINAL WHERE run_id = '${r.runId}'`
			)
		).toEqual([
			{
				status: 'succeeded',
				rows_read: 3,
				rows_new: 3,
				entity: 'accounts',
				mapping: 'accounts.mapping.json'
			}
		]);
	});

	test('tickets: value maps turn Chinese statuses into the stored enum, numbers and times are typed', async () => {
		files.write(
			'hp-accounts.csv',
			csv([
				['account_id', 'name', 'created_at'],
				['HP-A', '甲公司', '2024-01-01']
			])
		);
		const acc = await loadFile(t.db, { entity: 'accounts', file: `${files.dir}/hp-accounts.csv` });
		expect(acc.status).toBe('succeeded');

		const file = files.write(
			'工单.csv',
			csv([
				[
					'工单号',
					'客户编号',
					'创建时间',
					'优先级',
					'类型',
					'状态',
					'满意度',
					'情绪',
					'往来次数',
					'重开'
				],
				['HP-T1', 'HP-A', '2025-01-20 09:30:00', '紧急', '故障', '已关闭', '5', '-0.5', '3', '否'],
				['HP-T2', 'HP-A', '2025-01-21 23:15:00', '普通', '咨询', '处理中', '', '0.25', '1', '是'],
				['HP-T3', 'HP-A', '2025-02-01 00:00:00', '高', '咨询', 'Open', '4', '', '', '']
			])
		);
		const mapping = parseMapping(
			{
				entity: 'tickets',
				columns: {
					工单号: 'ticket_id',
					客户编号: 'account_id',
					创建时间: 'created_at',
					优先级: {
						to: 'priority',
						values: { 紧急: 'urgent', 高: 'high', 普通: 'normal', 低: 'low' }
					},
					类型: { to: 'ticket_type', values: { 咨询: 'question', 故障: 'incident' } },
					状态: { to: 'status', values: { 已关闭: 'closed', 处理中: 'pending', 新建: 'open' } },
					满意度: 'csat',
					情绪: 'sentiment',
					往来次数: 'agent_interactions',
					重开: 'reopened'
				}
			},
			'tickets.mapping.json'
		);
		const r = await loadFile(t.db, { entity: 'tickets', file, mapping });
		expect(r.error).toBeUndefined();
		expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 3, 0]);
		// 09:30 in Shanghai is 01:30 UTC; 23:15 on the 21st is 15:15 UTC the same day; midnight on
		// 1 February is 16:00 UTC on 31 January. "Open" is lower-cased to the enum's spelling.
		expect(
			await rows(
				t.db,
				`SELECT ticket_id, account_id, toString(created_at) AS created_at, priority, ticket_type, status,
				        csat, toString(sentiment) AS sentiment, agent_interactions, reopened
				 FROM tickets FINAL WHERE ticket_id LIKE 'HP-T%' ORDER BY ticket_id`
			)
		).toEqual([
			{
				ticket_id: 'HP-T1',
				account_id: 'HP-A',
				created_at: '2025-01-20 01:30:00',
				priority: 'urgent',
				ticket_type: 'incident',
				status: 'closed',
				csat: 5,
				sentiment: '-0.5',
				agent_interactions: 3,
				reopened: 0
			},
			{
				ticket_id: 'HP-T2',
				account_id: 'HP-A',
				created_at: '2025-01-21 15:15:00',
				priority: 'normal',
				ticket_type: 'question',
				status: 'pending',
				csat: null,
				sentiment: '0.25',
				agent_interactions: 1,
				reopened: 1
			},
			{
				ticket_id: 'HP-T3',
				account_id: 'HP-A',
				created_at: '2025-01-31 16:00:00',
				priority: 'high',
				ticket_type: 'question',
				status: 'open',
				csat: 4,
				sentiment: null,
				agent_interactions: 0,
				reopened: 0
			}
		]);
	});
});

describe('idempotence', () => {
	const accounts = (renamed = '') =>
		csv([
			['account_id', 'name', 'region', 'created_at'],
			['ID-1', 'Alpha', 'east', '2024-03-01'],
			['ID-2', `Beta${renamed}`, 'west', '2024-03-02'],
			['ID-3', 'Gamma', 'north', '2024-03-03'],
			['ID-4', 'Delta', 'south', '2024-03-04']
		]);
	const snapshot = () =>
		rows(t.db, `SELECT * FROM accounts FINAL WHERE account_id LIKE 'ID-%' ORDER BY account_id`);

	test('loading the same file twice writes nothing the second time', async () => {
		const file = files.write('idem.csv', accounts());
		const first = await loadFile(t.db, { entity: 'accounts', file });
		expect([first.status, first.rowsNew, first.rowsUpdated, first.rowsUnchanged]).toEqual([
			'succeeded',
			4,
			0,
			0
		]);
		const before = await snapshot();
		const stored = await count(
			t.db,
			`SELECT count() AS n FROM accounts WHERE account_id LIKE 'ID-%'`
		);

		const second = await loadFile(t.db, { entity: 'accounts', file });
		expect(second.status).toBe('succeeded');
		expect([
			second.rowsRead,
			second.rowsNew,
			second.rowsUpdated,
			second.rowsUnchanged,
			second.rowsRejected
		]).toEqual([4, 0, 0, 4, 0]);
		expect(await snapshot()).toEqual(before);
		expect(
			await count(t.db, `SELECT count() AS n FROM accounts FINAL WHERE account_id LIKE 'ID-%'`)
		).toBe(4);
		// Not even a new version of the unchanged rows: the raw row count stays 4 as well.
		expect(stored).toBe(4);
		expect(
			await count(t.db, `SELECT count() AS n FROM accounts WHERE account_id LIKE 'ID-%'`)
		).toBe(4);
	});

	test('a reload with one changed row reports exactly one update', async () => {
		const file = files.write('idem-changed.csv', accounts(' Renamed'));
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([r.status, r.rowsNew, r.rowsUpdated, r.rowsUnchanged, r.rowsDeleted]).toEqual([
			'succeeded',
			0,
			1,
			3,
			0
		]);
		expect(
			await rows(
				t.db,
				`SELECT account_id, name, _run_id = '${r.runId}' AS from_this_run FROM accounts FINAL WHERE account_id LIKE 'ID-%' ORDER BY account_id`
			)
		).toEqual([
			{ account_id: 'ID-1', name: 'Alpha', from_this_run: 0 },
			{ account_id: 'ID-2', name: 'Beta Renamed', from_this_run: 1 },
			{ account_id: 'ID-3', name: 'Gamma', from_this_run: 0 },
			{ account_id: 'ID-4', name: 'Delta', from_this_run: 0 }
		]);
	});

	test('rows that are both unchanged and rejected are counted once, and the changed rows still land', async () => {
		// Stored: DUP-1..DUP-3. The file repeats DUP-1 with a conflicting copy (both rejected, one of
		// them identical to what is stored) and changes DUP-2. Counting the identical-but-rejected
		// row twice once made "all 3 rows set aside": DUP-2's update was dropped and the run failed
		// writing −1 new rows.
		const stored = csv([
			['account_id', 'name', 'created_at'],
			['DUP-1', 'One', '2024-01-01'],
			['DUP-2', 'Two', '2024-01-02'],
			['DUP-3', 'Three', '2024-01-03']
		]);
		await loadFile(t.db, { entity: 'accounts', file: files.write('dup-stored.csv', stored) });
		const file = files.write(
			'dup-mixed.csv',
			csv([
				['account_id', 'name', 'created_at'],
				['DUP-1', 'One', '2024-01-01'],
				['DUP-1', 'One again', '2024-01-01'],
				['DUP-2', 'Two v2', '2024-01-02']
			])
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([
			r.status,
			r.rowsRead,
			r.rowsNew,
			r.rowsUpdated,
			r.rowsUnchanged,
			r.rowsRejected
		]).toEqual(['succeeded', 3, 0, 1, 0, 2]);
		expect(
			await rows(
				t.db,
				`SELECT account_id, name FROM accounts FINAL WHERE account_id LIKE 'DUP-%' ORDER BY account_id`
			)
		).toEqual([
			{ account_id: 'DUP-1', name: 'One' },
			{ account_id: 'DUP-2', name: 'Two v2' },
			{ account_id: 'DUP-3', name: 'Three' }
		]);
	});
});

describe('snapshot mode', () => {
	// Snapshots delete every stored key the file lacks, so these tests own the products table.
	const liveSkus = () =>
		rows<{ sku: string; list_price: string }>(
			t.db,
			'SELECT sku, toString(list_price) AS list_price FROM products FINAL WHERE _deleted = 0 ORDER BY sku'
		);

	test('a snapshot deletes the keys missing from the file', async () => {
		const initial = files.write(
			'products-1.csv',
			csv([
				['sku', 'name', 'list_price'],
				['SKU-1', 'Widget', '10.00'],
				['SKU-2', 'Gadget', '20.00'],
				['SKU-3', 'Doohickey', '30.00'],
				['SKU-4', 'Gizmo', '40.00']
			])
		);
		expect((await loadFile(t.db, { entity: 'products', file: initial })).rowsNew).toBe(4);

		const snap = files.write(
			'products-2.csv',
			csv([
				['sku', 'name', 'list_price'],
				['SKU-1', 'Widget', '10.00'],
				['SKU-2', 'Gadget', '25.50'],
				['SKU-5', 'Sprocket', '5']
			])
		);
		const r = await loadFile(t.db, { entity: 'products', file: snap, mode: 'snapshot' });
		expect(r.error).toBeUndefined();
		expect([r.rowsRead, r.rowsNew, r.rowsUpdated, r.rowsUnchanged, r.rowsDeleted]).toEqual([
			3, 1, 1, 1, 2
		]);
		expect(await liveSkus()).toEqual([
			{ sku: 'SKU-1', list_price: '10' },
			{ sku: 'SKU-2', list_price: '25.5' },
			{ sku: 'SKU-5', list_price: '5' }
		]);
		// The deleted keys are tombstones written by this run (FINAL hides them; the newest version
		// of each key shows them), so lineage shows who deleted them.
		expect(
			await rows(
				t.db,
				`SELECT sku, _deleted, _run_id = '${r.runId}' AS by_run FROM products WHERE sku IN ('SKU-3', 'SKU-4')
				 ORDER BY sku, _version DESC LIMIT 1 BY sku`
			)
		).toEqual([
			{ sku: 'SKU-3', _deleted: 1, by_run: 1 },
			{ sku: 'SKU-4', _deleted: 1, by_run: 1 }
		]);
	});

	test('a snapshot with no valid rows is refused and changes nothing', async () => {
		const before = await liveSkus();
		expect(before.map((p) => p.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-5']);
		const bad = files.write(
			'products-bad.csv',
			csv([
				['sku', 'name', 'list_price'],
				['SKU-1', 'Widget', 'ten'],
				['', 'Nameless', '1']
			])
		);
		const r = await loadFile(t.db, { entity: 'products', file: bad, mode: 'snapshot' });
		expect(r.status).toBe('failed');
		expect(r.error).toBe(
			`File ${bad} has no valid products rows: as a full snapshot it would delete every stored products row, so nothing was changed. Fix the file or load it in incremental mode.`
		);
		expect(r.rowsDeleted).toBe(0);
		expect(await liveSkus()).toEqual(before);

		const headerOnly = files.write('products-empty.csv', 'sku,name,list_price\n');
		const r2 = await loadFile(t.db, { entity: 'products', file: headerOnly, mode: 'snapshot' });
		expect(r2.status).toBe('failed');
		expect(r2.error).toContain(`File ${headerOnly}`);
		expect(await liveSkus()).toEqual(before);
	});

	test('a snapshot keeps a stored row whose new version was rejected', async () => {
		// SKU-2's new price is unreadable: its row is rejected, and the stored SKU-2 must survive
		// (a typo in one cell must not delete the product). SKU-1 and SKU-5 are unchanged.
		const snap = files.write(
			'products-3.csv',
			csv([
				['sku', 'name', 'list_price'],
				['SKU-1', 'Widget', '10.00'],
				['SKU-2', 'Gadget', 'n/a'],
				['SKU-5', 'Sprocket', '5']
			])
		);
		const r = await loadFile(t.db, { entity: 'products', file: snap, mode: 'snapshot' });
		expect([r.status, r.rowsRejected, r.rowsDeleted, r.rowsUnchanged]).toEqual([
			'succeeded',
			1,
			0,
			2
		]);
		expect(r.rejects).toEqual([
			{ row_number: 2, column: 'list_price', reason: 'is not a valid amount: "n/a"' }
		]);
		expect((await liveSkus()).map((p) => p.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-5']);
	});
});

test('a snapshot counts rejected rows, not problems, when deciding whether anything is valid', async () => {
	// Rows 1 and 2 each have two problems (an unknown account and an unreadable amount): four
	// problems in a three-row file, yet row 3 is valid and the snapshot must go ahead.
	const file = files.write(
		'orders-snapshot.csv',
		csv([
			['order_id', 'account_id', 'ordered_at', 'status', 'currency', 'net_amount'],
			['SO-1', 'NOBODY', '2025-01-01', 'paid', 'CNY', 'one'],
			['SO-3', 'NOBODY', '2025-01-01', 'paid', 'CNY', 'two'],
			['SO-2', 'ID-1', '2025-01-02', 'paid', 'CNY', '3']
		])
	);
	const r = await loadFile(t.db, { entity: 'orders', file, mode: 'snapshot' });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 1, 2]);
	expect(r.rejects.map((x) => [x.row_number, x.column])).toEqual([
		[1, 'account_id'],
		[1, 'net_amount'],
		[2, 'account_id'],
		[2, 'net_amount']
	]);
	expect(await rows(t.db, 'SELECT order_id FROM orders FINAL')).toEqual([{ order_id: 'SO-2' }]);
});
