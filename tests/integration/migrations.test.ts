import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { toClusterDdl } from '../../sql/cluster.ts';
import { migrate, MigrationError, readMigrations } from '../../sql/migrate.ts';
import { sqlPath } from '../../sql/paths.ts';
import { queryRows } from '../../sql/query.ts';
import { openTestDb, rows } from '../factories/db.ts';

let t: Awaited<ReturnType<typeof openTestDb>>;
const copy = mkdtempSync(path.join(tmpdir(), 'tenure-migrations-'));
beforeAll(async () => {
	t = await openTestDb();
});
afterAll(async () => {
	await t.cleanup();
	rmSync(copy, { recursive: true, force: true });
});

const tables = () =>
	rows<{ name: string }>(
		t.db,
		'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name'
	);

test('applying the migrations again is a no-op', async () => {
	const files = readMigrations();
	const before = await tables();
	const ledger = () =>
		rows<{ version: number; name: string }>(
			t.db,
			'SELECT version, name FROM schema_migrations ORDER BY version'
		);
	expect(await ledger()).toEqual(files.map((m) => ({ version: m.version, name: m.name })));

	const again = await migrate(t.db);
	expect(again).toEqual({ applied: [], current: Math.max(...files.map((m) => m.version)) });
	expect(await tables()).toEqual(before);
	expect(await ledger()).toEqual(files.map((m) => ({ version: m.version, name: m.name })));
	expect(files.map((m) => m.name).slice(0, 2)).toEqual(['0001_ingest.sql', '0002_core_crm.sql']);
});

test('an applied migration whose file was edited is refused, naming the file', async () => {
	cpSync(sqlPath('migrations'), copy, { recursive: true });
	const edited = path.join(copy, '0002_core_crm.sql');
	const text = readFileSync(edited, 'utf8');
	// One byte: a column comment's wording, which changes nothing in the schema but the checksum.
	writeFileSync(edited, text.replace('the later load wins', 'the later load wins!'));
	expect(readFileSync(edited).length).toBe(Buffer.byteLength(text) + 1);

	const migrations = readMigrations(copy);
	const before = await tables();
	const err = await migrate(t.db, migrations).catch((e: unknown) => e);
	expect(err).toBeInstanceOf(MigrationError);
	expect((err as Error).message).toMatch(
		/^Migration 0002_core_crm\.sql was edited after it was applied \(recorded checksum [0-9a-f]{12}…, file now [0-9a-f]{12}…\)\. Released migrations are never edited: restore the file and put the change in a new migration\.$/
	);
	expect(await tables()).toEqual(before);
});

test('every migration statement has a cluster form that ClickHouse parses', async () => {
	const statements = readMigrations().flatMap((m) =>
		m.statements.map((s) => ({ file: m.name, s }))
	);
	const tablesSeen: string[] = [];
	for (const { file, s } of statements) {
		const out = toClusterDdl(s, 'tenure_cluster');
		for (const q of out) {
			expect(q, file).toContain("ON CLUSTER 'tenure_cluster'");
			// formatQuery parses without running: a statement it cannot parse is an error here.
			const [parsed] = await queryRows<{ f: string }>(
				t.db,
				'SELECT formatQuery({q:String}) AS f',
				{ q },
				{ tag: 'test' }
			);
			expect(parsed?.f, `${file}: ${q}`).toContain('ON CLUSTER tenure_cluster');
		}
		const table = /CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)?.[1];
		if (!table) continue;
		tablesSeen.push(table);
		const engine = /ENGINE = (\w+)/.exec(s)?.[1];
		const shardKey = /-- tenure:shard-by (.+)$/m.exec(s)?.[1];
		expect(out, file).toHaveLength(2);
		expect(out[0]).toContain(
			`CREATE TABLE IF NOT EXISTS ${table}_local ON CLUSTER 'tenure_cluster'`
		);
		expect(out[0]).toContain(
			`ENGINE = Replicated${engine}('/clickhouse/tables/{shard}/{database}/${table}_local', '{replica}'`
		);
		expect(out[1]).toBe(
			`CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER 'tenure_cluster' AS ${table}_local ENGINE = Distributed('tenure_cluster', currentDatabase(), ${table}_local, ${shardKey})`
		);
	}
	// 2 ingest tables, 4 CRM, 6 ERP, 3 service, 2 auth (later migrations may add more).
	expect(tablesSeen).toEqual(
		expect.arrayContaining([
			'ingest_runs',
			'ingest_rejects',
			'accounts',
			'contacts',
			'owners',
			'activities',
			'products',
			'orders',
			'order_lines',
			'invoices',
			'payments',
			'subscriptions',
			'tickets',
			'survey_responses',
			'usage_daily',
			'users',
			'sessions'
		])
	);
	expect(tablesSeen.length).toBeGreaterThanOrEqual(17);
	// The check can fail: a statement cut short does not parse.
	await expect(
		queryRows(
			t.db,
			'SELECT formatQuery({q:String}) AS f',
			{ q: "CREATE TABLE x ON CLUSTER 'c' AS x_local ENGINE = Distributed(" },
			{ tag: 'test' }
		)
	).rejects.toThrow(/Syntax error/);
	const accounts = toClusterDdl(
		statements.find((x) => /TABLE IF NOT EXISTS accounts\b/.test(x.s))!.s,
		'tenure_cluster'
	);
	expect(accounts[0]).toContain(
		"ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/accounts_local', '{replica}', _version, _deleted)"
	);
	expect(accounts[1]).toContain(
		"Distributed('tenure_cluster', currentDatabase(), accounts_local, cityHash64(account_id))"
	);
});
