import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadFile } from '../../ingest/load.ts';
import { parseMapping } from '../../ingest/mapping.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { csv, fixtureDir } from '../factories/files.ts';

/** Encodings and file formats a Chinese CRM or ERP export comes in. */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
beforeAll(async () => {
	t = await openTestDb();
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

const chineseMapping = parseMapping(
	{
		entity: 'accounts',
		columns: { 客户编号: 'account_id', 客户名称: 'name', 区域: 'region', 创建时间: 'created_at' }
	},
	'zh.json'
);
const chineseAccounts = (prefix: string) =>
	csv([
		['客户编号', '客户名称', '区域', '创建时间'],
		[`${prefix}-1`, '北京字节跳动科技有限公司', '华北', '2024-05-01 08:00:00'],
		[`${prefix}-2`, '深圳市腾讯计算机系统有限公司', '华南', '2024-05-02 08:00:00']
	]);
const namesOf = (prefix: string) =>
	rows(
		t.db,
		`SELECT account_id, name, region, toString(created_at) AS created_at FROM accounts FINAL WHERE startsWith(account_id, '${prefix}-') ORDER BY account_id`
	);
const expectedChinese = (prefix: string) => [
	{
		account_id: `${prefix}-1`,
		name: '北京字节跳动科技有限公司',
		region: '华北',
		created_at: '2024-05-01 00:00:00'
	},
	{
		account_id: `${prefix}-2`,
		name: '深圳市腾讯计算机系统有限公司',
		region: '华南',
		created_at: '2024-05-02 00:00:00'
	}
];

test('a UTF-8 CSV with a byte-order mark (Excel "CSV UTF-8") maps its first header', async () => {
	const file = files.write('bom.csv', `\ufeff${chineseAccounts('BOM')}`);
	const r = await loadFile(t.db, { entity: 'accounts', file, mapping: chineseMapping });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsNew]).toEqual(['succeeded', 2]);
	expect(await namesOf('BOM')).toEqual(expectedChinese('BOM'));
});

test('a GBK-encoded CSV is detected and loads with its Chinese text intact', async () => {
	const file = files.write('gbk.csv', iconv.encode(chineseAccounts('GBK'), 'gbk'));
	const r = await loadFile(t.db, { entity: 'accounts', file, mapping: chineseMapping });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsNew]).toEqual(['succeeded', 2]);
	expect(await namesOf('GBK')).toEqual(expectedChinese('GBK'));
});

test('a gzip-compressed GBK CSV loads the same', async () => {
	const file = files.write('gbk.csv.gz', gzipSync(iconv.encode(chineseAccounts('GZK'), 'gbk')));
	const r = await loadFile(t.db, { entity: 'accounts', file, mapping: chineseMapping });
	expect(r.error).toBeUndefined();
	expect(await namesOf('GZK')).toEqual(expectedChinese('GZK'));
});

/** Accounts with ASCII-only rows first (~120 KB), so the first Chinese text comes late. */
const lateChineseAccounts = (prefix: string) =>
	csv([
		['account_id', 'name', 'region', 'created_at'],
		...Array.from({ length: 3000 }, (_, i) => [
			`${prefix}-A${i}`,
			`Ascii Company ${i}`,
			'North',
			'2024-05-01 08:00:00'
		]),
		[`${prefix}-1`, '北京字节跳动科技有限公司', '华北', '2024-05-01 08:00:00'],
		[`${prefix}-2`, '深圳市腾讯计算机系统有限公司', '华南', '2024-05-02 08:00:00']
	]);
const lateRows = (prefix: string) =>
	rows(
		t.db,
		`SELECT count() AS n, groupArrayIf(name, account_id IN ('${prefix}-1', '${prefix}-2')) AS zh FROM (SELECT account_id, name FROM accounts FINAL WHERE startsWith(account_id, '${prefix}-') ORDER BY account_id)`
	);
const lateExpected = [
	{ n: 3002, zh: ['北京字节跳动科技有限公司', '深圳市腾讯计算机系统有限公司'] }
];

test('GBK whose first Chinese text comes after 64 KB of ASCII is still detected', async () => {
	const text = lateChineseAccounts('LGB');
	expect(text.indexOf('北')).toBeGreaterThan(100 * 1024);
	const file = files.write('late-gbk.csv', iconv.encode(text, 'gbk'));
	const r = await loadFile(t.db, { entity: 'accounts', file });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsNew]).toEqual(['succeeded', 3002]);
	expect(await lateRows('LGB')).toEqual(lateExpected);

	const gz = files.write(
		'late-gbk.csv.gz',
		gzipSync(iconv.encode(lateChineseAccounts('LGZ'), 'gbk'))
	);
	const r2 = await loadFile(t.db, { entity: 'accounts', file: gz });
	expect([r2.status, r2.rowsNew]).toEqual(['succeeded', 3002]);
	expect(await lateRows('LGZ')).toEqual(lateExpected);
});

test('UTF-8 whose first Chinese text comes after 64 KB of ASCII stays UTF-8', async () => {
	const file = files.write('late-utf8.csv', lateChineseAccounts('LU8'));
	const r = await loadFile(t.db, { entity: 'accounts', file });
	expect([r.status, r.rowsNew]).toEqual(['succeeded', 3002]);
	expect(await lateRows('LU8')).toEqual(lateExpected);
});

test('text that is neither UTF-8 nor GBK is refused with the bytes, offset and line at fault', async () => {
	// Windows-1252 (a Western Excel default): é is E9, which starts no GBK character before a comma.
	const text = csv([
		['account_id', 'name', 'created_at'],
		['W-1', 'Plain', '2024-05-01'],
		['W-2', 'Café', '2024-05-02']
	]);
	const file = files.write('cp1252.csv', iconv.encode(text, 'win1252'));
	const r = await loadFile(t.db, { entity: 'accounts', file });
	expect([r.status, r.error]).toEqual([
		'failed',
		`File ${file} is neither UTF-8 nor GBK/GB18030 text: the bytes E9 2C 32 30 at byte ${text.indexOf('é')} (line 3) are valid in neither. Save it as UTF-8 (Excel: "CSV UTF-8"), or set "encoding" in the mapping to load it as that encoding anyway.`
	]);
	expect(await rows(t.db, "SELECT 1 FROM accounts WHERE account_id LIKE 'W-%'")).toEqual([]);
});

test('a quoted field with newlines stays one field, and row numbers count records, not lines', async () => {
	const file = files.write(
		'multiline.csv',
		csv([
			['account_id', 'name', 'created_at'],
			['ML-1', 'First line\nsecond line\nthird, with comma', '2024-01-01'],
			['ML-2', 'He said "hi"', '2024-01-02'],
			['ML-3', 'Bad date', 'someday']
		])
	);
	const r = await loadFile(t.db, { entity: 'accounts', file });
	expect([r.status, r.rowsRead, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 3, 2, 1]);
	expect(r.rejects).toEqual([
		{ row_number: 3, column: 'created_at', reason: 'is not a valid date/time: "someday"' }
	]);
	expect(
		await rows(
			t.db,
			"SELECT account_id, name, _source_row FROM accounts FINAL WHERE startsWith(account_id, 'ML-') ORDER BY account_id"
		)
	).toEqual([
		{ account_id: 'ML-1', name: 'First line\nsecond line\nthird, with comma', _source_row: 1 },
		{ account_id: 'ML-2', name: 'He said "hi"', _source_row: 2 }
	]);
});

test('Excel serial dates become dates (45677 is 2025-01-20)', async () => {
	// Excel counts days from 1899-12-30: 45677 days later is 2025-01-20; .5 is noon.
	const accounts = files.write(
		'serial-accounts.csv',
		csv([
			['account_id', 'name', 'created_at'],
			['XL-1', 'Serial', '45677'],
			['XL-2', 'Serial noon', '45677.5']
		])
	);
	const r = await loadFile(t.db, { entity: 'accounts', file: accounts });
	expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 2, 0]);
	// Midnight and noon on 20 January in Shanghai are 16:00 on the 19th and 04:00 on the 20th in UTC.
	expect(
		await rows(
			t.db,
			"SELECT account_id, toString(created_at) AS c FROM accounts FINAL WHERE startsWith(account_id, 'XL-') ORDER BY account_id"
		)
	).toEqual([
		{ account_id: 'XL-1', c: '2025-01-19 16:00:00' },
		{ account_id: 'XL-2', c: '2025-01-20 04:00:00' }
	]);

	const usage = files.write(
		'serial-usage.csv',
		csv([
			['account_id', 'day', 'active_users'],
			['XL-1', '45677', 7],
			['XL-1', '45658', 3]
		])
	);
	const u = await loadFile(t.db, { entity: 'usage_daily', file: usage });
	expect([u.status, u.rowsNew]).toEqual(['succeeded', 2]);
	expect(
		await rows(
			t.db,
			"SELECT toString(day) AS day, active_users FROM usage_daily FINAL WHERE account_id = 'XL-1' ORDER BY day"
		)
	).toEqual([
		{ day: '2025-01-01', active_users: 3 },
		{ day: '2025-01-20', active_users: 7 }
	]);
});

test('a .csv.gz file loads', async () => {
	const file = files.write(
		'accounts.csv.gz',
		gzipSync(
			csv([
				['account_id', 'name', 'created_at'],
				['GZ-1', 'Zipped', '2024-06-01'],
				['GZ-2', 'Also zipped', '2024-06-02']
			])
		)
	);
	const r = await loadFile(t.db, { entity: 'accounts', file });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsRead, r.rowsNew]).toEqual(['succeeded', 2, 2]);
	expect(
		await rows(
			t.db,
			"SELECT account_id, name FROM accounts FINAL WHERE startsWith(account_id, 'GZ-') ORDER BY account_id"
		)
	).toEqual([
		{ account_id: 'GZ-1', name: 'Zipped' },
		{ account_id: 'GZ-2', name: 'Also zipped' }
	]);
});

test('JSONL with numbers, booleans and missing keys loads typed', async () => {
	const accounts = files.write(
		'js-accounts.csv',
		csv([
			['account_id', 'name', 'created_at'],
			['JS-A', 'Json', '2024-01-01']
		])
	);
	expect((await loadFile(t.db, { entity: 'accounts', file: accounts })).status).toBe('succeeded');
	const lines = [
		{
			contact_id: 'JS-C1',
			account_id: 'JS-A',
			name: '王伟',
			is_primary: true,
			created_at: '2024-07-01T10:00:00+08:00'
		},
		{
			contact_id: 'JS-C2',
			account_id: 'JS-A',
			name: 'Li Na',
			is_primary: false,
			phone: 13800138000
		},
		{ contact_id: 'JS-C3', account_id: 'JS-A', is_primary: 'maybe' }
	];
	const file = files.write('contacts.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
	const r = await loadFile(t.db, { entity: 'contacts', file });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsRead, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 3, 2, 1]);
	expect(r.rejects).toEqual([
		{ row_number: 3, column: 'is_primary', reason: 'is not a valid yes/no value: "maybe"' }
	]);
	expect(
		await rows(
			t.db,
			"SELECT contact_id, name, phone, is_primary, toString(created_at) AS c FROM contacts FINAL WHERE startsWith(contact_id, 'JS-') ORDER BY contact_id"
		)
	).toEqual([
		{ contact_id: 'JS-C1', name: '王伟', phone: '', is_primary: 1, c: '2024-07-01 02:00:00' },
		{
			contact_id: 'JS-C2',
			name: 'Li Na',
			phone: '13800138000',
			is_primary: 0,
			c: '1970-01-01 00:00:00'
		}
	]);
});

test('Parquet with typed columns (strings, integers, doubles, timestamps) loads', async () => {
	const file = `${files.dir}/accounts.parquet`;
	parquetWriteFile({
		filename: file,
		columnData: [
			{ name: 'account_id', data: ['PQ-1', 'PQ-2'], type: 'STRING' },
			{ name: 'name', data: ['帕奎特', 'Parquet Two'], type: 'STRING' },
			{
				name: 'created_at',
				data: [new Date('2024-03-01T00:00:00Z'), new Date('2024-03-02T12:30:00Z')],
				type: 'TIMESTAMP'
			}
		]
	});
	const r = await loadFile(t.db, { entity: 'accounts', file });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsNew]).toEqual(['succeeded', 2]);
	// A Parquet timestamp is an instant: stored as the same instant, whatever TENURE_TZ is.
	expect(
		await rows(
			t.db,
			"SELECT account_id, name, toString(created_at) AS c FROM accounts FINAL WHERE startsWith(account_id, 'PQ-') ORDER BY account_id"
		)
	).toEqual([
		{ account_id: 'PQ-1', name: '帕奎特', c: '2024-03-01 00:00:00' },
		{ account_id: 'PQ-2', name: 'Parquet Two', c: '2024-03-02 12:30:00' }
	]);

	const usage = `${files.dir}/usage.parquet`;
	parquetWriteFile({
		filename: usage,
		columnData: [
			{ name: 'account_id', data: ['PQ-1', 'PQ-1', 'PQ-2'], type: 'STRING' },
			{ name: 'day', data: ['2025-01-01', '2025-01-02', '2025-01-01'], type: 'STRING' },
			{ name: 'active_users', data: [5, 6, 300], type: 'INT32' },
			{ name: 'key_events', data: [1.0, 2.5, 3.0], type: 'DOUBLE' }
		]
	});
	const u = await loadFile(t.db, { entity: 'usage_daily', file: usage });
	expect([u.status, u.rowsNew, u.rowsRejected]).toEqual(['succeeded', 2, 1]);
	expect(u.rejects).toEqual([
		{ row_number: 2, column: 'key_events', reason: 'is not a valid whole number: "2.5"' }
	]);
	expect(
		await rows(
			t.db,
			"SELECT account_id, toString(day) AS day, active_users, key_events FROM usage_daily FINAL WHERE startsWith(account_id, 'PQ-') ORDER BY account_id, day"
		)
	).toEqual([
		{ account_id: 'PQ-1', day: '2025-01-01', active_users: 5, key_events: 1 },
		{ account_id: 'PQ-2', day: '2025-01-01', active_users: 300, key_events: 3 }
	]);
});

test('a TSV file loads, tabs and all', async () => {
	const file = files.write(
		'accounts.tsv',
		'account_id\tname\tindustry\tcreated_at\nTSV-1\tComma, Inc.\t软件\t2024-08-01\nTSV-2\t"Quoted"\t硬件\t2024-08-02\n'
	);
	const r = await loadFile(t.db, { entity: 'accounts', file });
	expect(r.error).toBeUndefined();
	expect([r.status, r.rowsNew]).toEqual(['succeeded', 2]);
	expect(
		await rows(
			t.db,
			"SELECT account_id, name, industry FROM accounts FINAL WHERE startsWith(account_id, 'TSV-') ORDER BY account_id"
		)
	).toEqual([
		{ account_id: 'TSV-1', name: 'Comma, Inc.', industry: '软件' },
		{ account_id: 'TSV-2', name: '"Quoted"', industry: '硬件' }
	]);
});

test('a semicolon-delimited CSV loads with the mapping’s delimiter', async () => {
	const mapping = parseMapping({ entity: 'accounts', delimiter: ';' }, 'semi.json');
	const file = files.write('semi.csv', 'account_id;name;created_at\nSC-1;Semi, colon;2024-09-01\n');
	const r = await loadFile(t.db, { entity: 'accounts', file, mapping });
	expect(r.error).toBeUndefined();
	expect(
		await rows(t.db, "SELECT account_id, name FROM accounts FINAL WHERE account_id = 'SC-1'")
	).toEqual([{ account_id: 'SC-1', name: 'Semi, colon' }]);
});
