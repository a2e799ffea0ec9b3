import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { entityNames } from '../../ingest/entities.ts';
import { loadFile, type LoadResult } from '../../ingest/load.ts';
import { parseMapping } from '../../ingest/mapping.ts';
import { parseIngestMessage } from '../../ingest/messages.ts';
import { ingestText } from '../../src/lib/i18n/ingest-messages.ts';
import { command } from '../../sql/query.ts';
import { count, openTestDb, rows, withCommandHook } from '../factories/db.ts';
import { seedAccounts } from '../factories/accounts.ts';
import { csv, fixtureDir } from '../factories/files.ts';

/**
 * Bad input: each case checks that the message a user sees names the file, row and column and
 * says why, and that nothing from a failed run reaches the core tables.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
beforeAll(async () => {
	t = await openTestDb();
	await seedAccounts(t.db, files, [
		['BAD-A', 'Alpha'],
		['BAD-B', 'Beta']
	]);
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

const accountsCsv = (...data: (string | number)[][]) =>
	csv([['account_id', 'name', 'created_at'], ...data]);
const storedAccounts = () => count(t.db, 'SELECT count() AS n FROM accounts FINAL');
const leftoverTables = () =>
	count(
		t.db,
		"SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '_ing_')"
	);
const rejectsOf = (r: LoadResult) =>
	rows(
		t.db,
		`SELECT source_file, row_number, column, reason FROM ingest_rejects WHERE run_id = '${r.runId}' ORDER BY row_number, column`
	);

/** A failed run: the error, nothing stored, no scratch tables left, the run recorded as failed. */
async function expectFailed(r: LoadResult, accountsBefore: number): Promise<string> {
	expect(r.status).toBe('failed');
	expect(await storedAccounts()).toBe(accountsBefore);
	expect(await leftoverTables()).toBe(0);
	expect(
		await rows(t.db, `SELECT status, error FROM ingest_runs FINAL WHERE run_id = '${r.runId}'`)
	).toEqual([{ status: 'failed', error: r.error }]);
	return r.error ?? '';
}

describe('names and mappings', () => {
	test('a misspelt entity lists the entities and suggests the closest', async () => {
		const before = await storedAccounts();
		const file = files.write('entity.csv', accountsCsv(['E-1', 'x', '2024-01-01']));
		const r = await loadFile(t.db, { entity: 'acounts', file });
		const list = entityNames()
			.map((n) => `'${n}'`)
			.join(', ');
		expect(await expectFailed(r, before)).toBe(
			`Unknown entity 'acounts'. Did you mean 'accounts'? Entities: ${list}.`
		);
		expect(list).toContain("'order_lines_flat'");
		expect(() => parseMapping({ entity: 'tickts', columns: {} }, 'm.json')).toThrow(
			`Mapping m.json: unknown entity 'tickts'. Did you mean 'tickets'? Entities: ${list}.`
		);
	});

	test('a mapping to a column the entity lacks suggests the closest column', async () => {
		const file = files.write(
			'target.csv',
			csv([
				['客户编号', 'name', 'created_at'],
				['T-1', 'x', '2024-01-01']
			])
		);
		const mapping = parseMapping(
			{ entity: 'accounts', columns: { 客户编号: 'acount_id' } },
			'target.mapping.json'
		);
		const r = await loadFile(t.db, {
			entity: 'accounts',
			file,
			mapping,
			mappingLabel: 'target.mapping.json'
		});
		const error = await expectFailed(r, await storedAccounts());
		expect(error).toContain(
			`Cannot load file ${file} as accounts with mapping target.mapping.json:`
		);
		expect(error).toContain(
			"source column '客户编号' maps to 'acount_id', which is not a column of accounts. Did you mean 'account_id'? Columns: 'account_id', 'name',"
		);
		expect(error).toContain('required column accounts.account_id has no source');
	});

	test('a mapping that maps two sources to one column names both', async () => {
		const file = files.write(
			'two.csv',
			csv([
				['客户编号', '编号', 'name', 'created_at'],
				['T-2', 'T-2', 'x', '2024-01-01']
			])
		);
		const mapping = parseMapping(
			{ entity: 'accounts', columns: { 客户编号: 'account_id', 编号: 'account_id' } },
			'two.json'
		);
		const r = await loadFile(t.db, { entity: 'accounts', file, mapping, mappingLabel: 'two.json' });
		expect(await expectFailed(r, await storedAccounts())).toBe(
			`Cannot load file ${file} as accounts with mapping two.json:\n  - both source column '客户编号' and source column '编号' map to accounts.account_id; keep one of them.`
		);
	});

	test('a mapped source header the file does not have suggests the closest header', async () => {
		const file = files.write(
			'header.csv',
			csv([
				['客户编号', 'name', 'created_at'],
				['T-3', 'x', '2024-01-01']
			])
		);
		const mapping = parseMapping(
			{ entity: 'accounts', columns: { 客户编码: 'account_id' } },
			'header.json'
		);
		const r = await loadFile(t.db, {
			entity: 'accounts',
			file,
			mapping,
			mappingLabel: 'header.json'
		});
		const error = await expectFailed(r, await storedAccounts());
		expect(error).toContain(
			`source column '客户编码' is not in file ${file}. Did you mean '客户编号'? The file's columns: '客户编号', 'name', 'created_at'.`
		);
	});

	test('a missing required column is named, with the closest header', async () => {
		const file = files.write(
			'required.csv',
			csv([
				['account_id', 'name', 'created'],
				['T-4', 'x', '2024-01-01']
			])
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect(await expectFailed(r, await storedAccounts())).toBe(
			`Cannot load file ${file} as accounts:\n  - required column accounts.created_at has no source: name a column of file ${file} after it or map one to it. Did you mean 'created'?`
		);
	});
});

describe('broken files', () => {
	test('Parquet bytes named .csv are refused as Parquet', async () => {
		const bytes = parquetWriteBuffer({
			columnData: [{ name: 'account_id', data: ['P-1'], type: 'STRING' }]
		});
		const file = files.write('really-parquet.csv', new Uint8Array(bytes));
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect(await expectFailed(r, await storedAccounts())).toBe(
			`File ${file} is a Parquet file, not CSV: load it with --format parquet.`
		);
	});

	test('random binary named .csv is refused as not text', async () => {
		// A fixed byte pattern with NULs and control bytes, like an image or a zip saved as .csv.
		const bytes = Buffer.alloc(4096, 0);
		let x = 12345;
		for (let i = 0; i < bytes.length; i++) {
			x = (x * 1103515245 + 12345) & 0x7fffffff;
			bytes[i] = (x >> 16) & 0xff;
		}
		const file = files.write('binary.csv', bytes);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect(await expectFailed(r, await storedAccounts())).toBe(
			`File ${file} is not CSV text: it contains binary data (NUL bytes). Check that it is the right file, or export it again as CSV.`
		);
	});

	test('an empty file (0 bytes) is refused', async () => {
		const file = files.write('empty.csv', '');
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect(await expectFailed(r, await storedAccounts())).toBe(
			`File ${file} is empty (0 bytes): there is nothing to load.`
		);
	});

	test('a gzip file cut in half fails the run and loads nothing', async () => {
		const before = await storedAccounts();
		const data = Array.from({ length: 5000 }, (_, i) => [
			`GZ-${i}`,
			`Company ${i} ${'x'.repeat(i % 50)}`,
			'2024-01-01'
		]);
		const whole = gzipSync(accountsCsv(...data));
		const file = files.write('cut.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect(await expectFailed(r, before)).toBe(
			`File ${file} could not be loaded: the compressed data ends early or is damaged (was the file cut off during download?). Re-export or re-copy it and load again.`
		);
		expect(
			await count(t.db, "SELECT count() AS n FROM accounts WHERE startsWith(account_id, 'GZ-')")
		).toBe(0);
	});
});

describe('rows that are rejected while the rest loads', () => {
	test('a row with too many values is rejected by its row number', async () => {
		const file = files.write(
			'wide.csv',
			'account_id,name,created_at\nW-1,One,2024-01-01\nW-2,Two,2024-01-02,surplus\nW-3,Three,2024-01-03\n'
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([r.status, r.rowsRead, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 3, 2, 1]);
		expect(await rejectsOf(r)).toEqual([
			{
				source_file: file,
				row_number: 2,
				column: '',
				reason: 'row has more values than the header has columns (3)'
			}
		]);
		expect(
			await rows(
				t.db,
				"SELECT account_id FROM accounts FINAL WHERE startsWith(account_id, 'W-') ORDER BY account_id"
			)
		).toEqual([{ account_id: 'W-1' }, { account_id: 'W-3' }]);
	});

	test('a trailing empty value is one value too many, like any too-wide row', async () => {
		const file = files.write(
			'trailing.csv',
			'account_id,name,created_at\nT-1,One,2024-01-01\nT-2,Two,2024-01-02,\nT-3,Three,2024-01-03,,late\nT-4,Four,2024-01-04,""\nT-5,Five,2024-01-05\n'
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([r.status, r.rowsRead, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 5, 2, 3]);
		const tooWide = (row: number) => ({
			source_file: file,
			row_number: row,
			column: '',
			reason: 'row has more values than the header has columns (3)'
		});
		expect(await rejectsOf(r)).toEqual([tooWide(2), tooWide(3), tooWide(4)]);

		const tsv = files.write(
			'trailing.tsv',
			'account_id\tname\tcreated_at\nT-6\tSix\t2024-01-06\t\nT-7\tSeven\t2024-01-07\n'
		);
		const r2 = await loadFile(t.db, { entity: 'accounts', file: tsv });
		expect([r2.status, r2.rowsNew, r2.rejects]).toEqual([
			'succeeded',
			1,
			[{ row_number: 1, column: '', reason: 'row has more values than the header has columns (3)' }]
		]);
		expect(
			await rows(
				t.db,
				"SELECT account_id FROM accounts FINAL WHERE startsWith(account_id, 'T-') ORDER BY account_id"
			)
		).toEqual([{ account_id: 'T-1' }, { account_id: 'T-5' }, { account_id: 'T-7' }]);
	});

	test('a header that ends with a delimiter allows one empty last value per row, not a value', async () => {
		// Some ERP exports end every line, the header included, with a delimiter.
		const file = files.write(
			'every-line.csv',
			'account_id,name,created_at,\nH-1,One,2024-01-01,\nH-2,Two,2024-01-02,surplus\nH-3,Three,2024-01-03\nH-4,Four,2024-01-04,,\n'
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([r.status, r.rowsRead, r.rowsNew, r.ignoredColumns]).toEqual(['succeeded', 4, 2, []]);
		expect(r.rejects).toEqual([
			{ row_number: 2, column: '', reason: 'row has more values than the header has columns (3)' },
			{ row_number: 4, column: '', reason: 'row has more values than the header has columns (3)' }
		]);
		expect(
			await rows(
				t.db,
				"SELECT account_id, name FROM accounts FINAL WHERE startsWith(account_id, 'H-') ORDER BY account_id"
			)
		).toEqual([
			{ account_id: 'H-1', name: 'One' },
			{ account_id: 'H-3', name: 'Three' }
		]);
	});

	test('text in a number column is rejected with the column and the value', async () => {
		const file = files.write(
			'prices.csv',
			csv([
				['sku', 'name', 'list_price'],
				['N-1', 'Fine', '12.50'],
				['N-2', 'Broken', 'abc'],
				['N-3', 'Also fine', '¥1,200']
			])
		);
		const r = await loadFile(t.db, { entity: 'products', file });
		expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 2, 1]);
		expect(r.rejects).toEqual([
			{ row_number: 2, column: 'list_price', reason: 'is not a valid amount: "abc"' }
		]);
		expect(
			await rows(
				t.db,
				"SELECT sku, toString(list_price) AS p FROM products FINAL WHERE startsWith(sku, 'N-') ORDER BY sku"
			)
		).toEqual([
			{ sku: 'N-1', p: '12.5' },
			{ sku: 'N-3', p: '1200' }
		]);
	});

	test('an impossible date (30 February) is rejected, with or without a format', async () => {
		const file = files.write(
			'dates.csv',
			accountsCsv(
				['D-1', 'One', '2025-02-28'],
				['D-2', 'Two', '2025-02-30'],
				['D-3', 'Three', '2024-02-29']
			)
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 2, 1]);
		expect(r.rejects).toEqual([
			{ row_number: 2, column: 'created_at', reason: 'is not a valid date/time: "2025-02-30"' }
		]);

		const mapping = parseMapping(
			{ entity: 'accounts', columns: { created_at: { to: 'created_at', format: '%Y-%m-%d' } } },
			'dates.json'
		);
		const withFormat = files.write(
			'dates-fmt.csv',
			accountsCsv(['D-4', 'Four', '2025-02-30'], ['D-5', 'Five', '2025-03-01'])
		);
		const r2 = await loadFile(t.db, { entity: 'accounts', file: withFormat, mapping });
		expect([r2.status, r2.rowsNew, r2.rowsRejected]).toEqual(['succeeded', 1, 1]);
		expect(r2.rejects).toEqual([
			{
				row_number: 1,
				column: 'created_at',
				reason: 'is not a valid date/time (expected format %Y-%m-%d): "2025-02-30"'
			}
		]);
		expect(
			await rows(
				t.db,
				"SELECT account_id FROM accounts FINAL WHERE startsWith(account_id, 'D-') ORDER BY account_id"
			)
		).toEqual([{ account_id: 'D-1' }, { account_id: 'D-3' }, { account_id: 'D-5' }]);
	});

	test('an order for an unknown account is rejected', async () => {
		const file = files.write(
			'orders.csv',
			csv([
				['order_id', 'account_id', 'ordered_at', 'status', 'currency', 'net_amount'],
				['O-1', 'BAD-A', '2025-01-01', 'paid', 'CNY', '100'],
				['O-2', 'NOBODY', '2025-01-02', 'paid', 'CNY', '200']
			])
		);
		const r = await loadFile(t.db, { entity: 'orders', file });
		expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 1, 1]);
		expect(await rejectsOf(r)).toEqual([
			{
				source_file: file,
				row_number: 2,
				column: 'account_id',
				reason: 'unknown account_id "NOBODY": there is no such account_id in accounts'
			}
		]);
		expect(
			await rows(t.db, "SELECT order_id FROM orders FINAL WHERE order_id IN ('O-1', 'O-2')")
		).toEqual([{ order_id: 'O-1' }]);
	});
});

describe('duplicate keys in one file', () => {
	test('conflicting copies of a key are all rejected', async () => {
		const file = files.write(
			'dup-conflict.csv',
			accountsCsv(
				['K-1', 'First', '2024-01-01'],
				['K-2', 'Other', '2024-01-01'],
				['K-1', 'Second', '2024-01-01']
			)
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 1, 2]);
		expect(r.rejects).toEqual([
			{
				row_number: 1,
				column: 'account_id',
				reason: 'key K-1 appears in rows 1, 3 with different values'
			},
			{
				row_number: 3,
				column: 'account_id',
				reason: 'key K-1 appears in rows 1, 3 with different values'
			}
		]);
		expect(
			await rows(t.db, "SELECT account_id FROM accounts FINAL WHERE startsWith(account_id, 'K-')")
		).toEqual([{ account_id: 'K-2' }]);
	});

	test('identical copies keep the first row and reject the copy', async () => {
		const file = files.write(
			'dup-same.csv',
			accountsCsv(
				['S-1', 'Same', '2024-01-01'],
				['S-2', 'Other', '2024-01-01'],
				['S-1', 'Same', '2024-01-01']
			)
		);
		const r = await loadFile(t.db, { entity: 'accounts', file });
		expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 2, 1]);
		expect(r.rejects).toEqual([
			{ row_number: 3, column: 'account_id', reason: 'exact duplicate of row 1' }
		]);
		expect(
			await rows(
				t.db,
				"SELECT account_id, name, _source_row FROM accounts FINAL WHERE startsWith(account_id, 'S-') ORDER BY account_id"
			)
		).toEqual([
			{ account_id: 'S-1', name: 'Same', _source_row: 1 },
			{ account_id: 'S-2', name: 'Other', _source_row: 2 }
		]);
	});

	test('duplicates are still found when the parsed rows were merged before the check', async () => {
		// A big file is parsed into many parts. The loader stops background merges on its scratch
		// tables, but force the worst case anyway, a merge just before the duplicate check: it must
		// not fold conflicting copies into one.
		const merging = withCommandHook(t.db, async (query) => {
			const typed = /FROM (_ing_\w+_typed) GROUP BY/.exec(query)?.[1];
			if (typed) {
				await command(t.db, `SYSTEM START MERGES ${typed}`, {}, { tag: 'test' });
				await command(t.db, `OPTIMIZE TABLE ${typed} FINAL`, {}, { tag: 'test' });
			}
		});
		const file = files.write(
			'dup-merged.csv',
			accountsCsv(['M-1', 'First', '2024-01-01'], ['M-1', 'Second', '2024-01-01'])
		);
		const r = await loadFile(merging, { entity: 'accounts', file });
		expect([r.status, r.rowsNew, r.rowsRejected]).toEqual(['succeeded', 0, 2]);
		expect(await count(t.db, "SELECT count() AS n FROM accounts WHERE account_id = 'M-1'")).toBe(0);
	});
});

describe('derived expressions are checked before use', () => {
	const cases: [string, string, string][] = [
		[
			'a subquery',
			'(SELECT max(name) FROM accounts)',
			'must be one expression over the row, without SELECT, FROM, SETTINGS, tables or subqueries.'
		],
		[
			'the file() function',
			"file('/etc/passwd')",
			'calls file(), which derived columns may not use.'
		],
		['a second statement', 'name; DROP TABLE accounts', 'must be a single expression (no ";").'],
		[
			'a FROM clause smuggled in',
			'1) FROM system.tables --',
			'must be one expression over the row, without SELECT, FROM, SETTINGS, tables or subqueries.'
		],
		[
			'a SETTINGS clause smuggled in',
			'1) SETTINGS max_threads = 1\n--',
			'must be one expression over the row, without SELECT, FROM, SETTINGS, tables or subqueries.'
		],
		[
			'a column the file lacks',
			"concat(nom, '!')",
			"refers to 'nom', which is not a column of FILE."
		]
	];
	test.each(cases)('%s is refused', async (_what, expr, why) => {
		const before = await storedAccounts();
		const file = files.write('derived.csv', accountsCsv(['X-1', 'One', '2024-01-01']));
		const mapping = parseMapping(
			{ entity: 'accounts', derived: { segment: expr } },
			'derived.json'
		);
		// Every statement the load sends: only EXPLAIN AST (which parses, never runs) sees the text.
		const sent: string[] = [];
		const recording = withCommandHook(t.db, (query) => void sent.push(query));
		const r = await loadFile(recording, { entity: 'accounts', file, mapping });
		expect(await expectFailed(r, before)).toBe(
			`Derived column 'segment' (${JSON.stringify(expr)}): ${why.replace('FILE', file)}`
		);
		expect(sent.length).toBeGreaterThan(0);
		expect(sent.filter((q) => q.includes(expr) && !q.startsWith('EXPLAIN AST '))).toEqual([]);
		expect(r.rowsRead).toBe(0);
		expect(await count(t.db, "SELECT count() AS n FROM accounts WHERE account_id = 'X-1'")).toBe(0);
	});
});

describe('messages in the portal’s language', () => {
	test('every reason and error the loads above stored is a known message, shown in zh-CN', async () => {
		const stored = await rows<{ text: string }>(
			t.db,
			"SELECT DISTINCT reason AS text FROM ingest_rejects UNION DISTINCT SELECT DISTINCT error AS text FROM ingest_runs FINAL WHERE error != ''"
		);
		expect(stored.length).toBeGreaterThan(15);
		expect(stored.filter((r) => parseIngestMessage(r.text) === null)).toEqual([]);
		for (const { text } of stored) {
			expect(ingestText('zh-CN', text)).toMatch(/[\u4e00-\u9fff]/);
			expect(ingestText('en', text)).toBe(text);
		}
	});
});
