import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { command, insertTsv, tsvField } from '../../sql/query.ts';
import { openTestDb, rows } from '../factories/db.ts';

let t: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => {
	t = await openTestDb();
	await command(
		t.db,
		'CREATE TABLE tsv_probe (id UInt32, s Nullable(String), v Nullable(Float64)) ENGINE = MergeTree ORDER BY id',
		{},
		{ tag: 'test' }
	);
});
afterAll(async () => t.cleanup());

// Everything TabSeparated must escape, a literal "\N" that must stay text, and missing numbers.
const values: [string | null, number | null][] = [
	['plain', 1.5],
	['tab\there', -2.5],
	['line\nbreak\r\n', 1e-300],
	['back\\slash \\N', NaN],
	[null, null],
	['客户 😀', Infinity]
];

for (const via of ['file', 'body'] as const) {
	test(`rows round-trip exactly through ${via === 'file' ? 'a file' : 'the request body'}`, async () => {
		await command(t.db, 'TRUNCATE TABLE tsv_probe', {}, { tag: 'test' });
		const lines = values.map(([s, v], i) => [i, tsvField(s), tsvField(v)].join('\t'));
		// Two batches, the second one empty.
		const written = await insertTsv(t.db, 'tsv_probe', ['id', 's', 'v'], [lines, []], 'test', via);
		expect(written).toBe(values.length);
		expect(await rows(t.db, 'SELECT s, v FROM tsv_probe ORDER BY id')).toEqual(
			values.map(([s, v]) => ({ s, v: v === null || !Number.isFinite(v) ? null : v }))
		);
		expect(readdirSync(path.join(t.dir, 'tmp')).filter((f) => f.startsWith('tsv_probe'))).toEqual(
			[]
		);
	});
}

test('a bad line fails the whole insert with the caller’s tag', async () => {
	await command(t.db, 'TRUNCATE TABLE tsv_probe', {}, { tag: 'test' });
	await expect(
		insertTsv(t.db, 'tsv_probe', ['id', 's', 'v'], [['1\ta\t2', 'x\tb\t3']], 'probe:insert', 'file')
	).rejects.toThrow(/^probe:insert: /);
	expect(await rows(t.db, 'SELECT count() AS n FROM tsv_probe')).toEqual([{ n: 0 }]);
});
