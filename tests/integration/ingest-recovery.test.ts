import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadFile, recoverRuns } from '../../ingest/load.ts';
import { count, openTestDb, rows, withCommandHook } from '../factories/db.ts';
import { seedAccounts } from '../factories/accounts.ts';
import { csv, fixtureDir } from '../factories/files.ts';

/**
 * Atomicity: a load that stops part-way (process killed, engine error during the commit) leaves the
 * core tables as they were, or is finished exactly once by recoverRuns. The interruptions are made
 * with a command hook that stops the load at an exact statement; ingest-kill.test.ts does the same
 * with a real kill -9.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
beforeAll(async () => {
	t = await openTestDb();
	await seedAccounts(t.db, files, [
		['RC-1', 'One'],
		['RC-2', 'Two'],
		['RC-3', 'Three']
	]);
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

const scratchTables = () =>
	rows<{ name: string }>(
		t.db,
		"SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '_ing_') ORDER BY name"
	);
const runStatus = (runId: string) =>
	rows<{ status: string; error: string }>(
		t.db,
		`SELECT status, error FROM ingest_runs FINAL WHERE run_id = '${runId}'`
	);
const runsIn = (status: string) =>
	rows<{ run_id: string }>(t.db, `SELECT run_id FROM ingest_runs FINAL WHERE status = '${status}'`);

test('a run stopped after staging, before its commit, is marked failed and leaves no trace', async () => {
	let reached: () => void = () => undefined;
	const atStaging = new Promise<void>((resolve) => (reached = resolve));
	// The process "dies" at the first staging statement: the file is parsed into scratch tables,
	// nothing is committed, and no further statement ever runs.
	const frozen = withCommandHook(t.db, async (query) => {
		// Moving pass-2 rejects into ingest_rejects happens in every load, duplicates or not.
		if (/^INSERT INTO ingest_rejects \(run_id/.test(query)) {
			reached();
			await new Promise(() => undefined);
		}
	});
	const file = files.write(
		'stopped.csv',
		csv([
			['account_id', 'name', 'created_at'],
			['RC-1', 'One renamed', '2024-01-01'],
			['RC-9', 'Nine', '2024-01-09']
		])
	);
	void loadFile(frozen, { entity: 'accounts', file });
	await atStaging;

	const [running] = await runsIn('running');
	expect(running).toBeDefined();
	const runId = running!.run_id;
	const scratch = (await scratchTables()).map((r) => r.name);
	const prefix = `_ing_${runId.replace(/-/g, '')}_`;
	expect(scratch.length).toBeGreaterThan(0);
	expect(scratch.every((n) => n.startsWith(prefix))).toBe(true);
	expect(scratch).toContain(`${prefix}typed`);
	expect(await count(t.db, `SELECT count() AS n FROM ${prefix}typed`)).toBe(2);

	expect(await recoverRuns(t.db)).toEqual([{ runId, action: 'marked-failed' }]);
	expect(await runStatus(runId)).toEqual([
		{
			status: 'failed',
			error:
				'Interrupted: the process stopped before the load finished. Nothing from this run was stored; load the file again.'
		}
	]);
	expect(await scratchTables()).toEqual([]);
	expect(
		await rows(
			t.db,
			"SELECT account_id, name FROM accounts FINAL WHERE startsWith(account_id, 'RC-') ORDER BY account_id"
		)
	).toEqual([
		{ account_id: 'RC-1', name: 'One' },
		{ account_id: 'RC-2', name: 'Two' },
		{ account_id: 'RC-3', name: 'Three' }
	]);
	// A second recovery finds nothing left to do.
	expect(await recoverRuns(t.db)).toEqual([]);
});

test('a run stopped half-way through its commit is rolled forward exactly once', async () => {
	// A flat export commits two tables, orders then order lines. The first ATTACH goes through,
	// then the engine fails: the run is left 'committing' with its load tables.
	const failing = withCommandHook(t.db, (query) => {
		if (/^ALTER TABLE order_lines ATTACH PARTITION/.test(query)) throw new Error('disk full');
	});
	const file = files.write(
		'orders.csv',
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
			['RO-1', 1, 'RC-1', '2025-01-01', 'paid', 'CNY', 'S-1', 1, '10.00'],
			['RO-1', 2, 'RC-1', '2025-01-01', 'paid', 'CNY', 'S-2', 2, '20.00'],
			['RO-2', 1, 'RC-2', '2025-01-02', 'paid', 'CNY', 'S-1', 1, '5.50']
		])
	);
	await expect(loadFile(failing, { entity: 'order_lines_flat', file })).rejects.toThrow(
		'disk full'
	);

	const [committing] = await runsIn('committing');
	expect(committing).toBeDefined();
	const runId = committing!.run_id;
	const totals = () =>
		rows(
			t.db,
			`SELECT (SELECT count() FROM orders FINAL WHERE startsWith(order_id, 'RO-')) AS orders,
			        (SELECT toString(sum(net_amount)) FROM orders FINAL WHERE startsWith(order_id, 'RO-')) AS amount,
			        (SELECT count() FROM order_lines FINAL WHERE startsWith(order_id, 'RO-')) AS lines`
		);
	// Half committed: the orders are in, their lines are not.
	expect(await totals()).toEqual([{ orders: 2, amount: '35.5', lines: 0 }]);
	expect((await scratchTables()).length).toBeGreaterThan(0);

	expect(await recoverRuns(t.db)).toEqual([{ runId, action: 'rolled-forward' }]);
	// Orders were attached twice (before the failure and by the recovery); FINAL keeps one copy per
	// key and version, so nothing is counted twice. 10 + 20 + 5.50 = 35.50.
	expect(await totals()).toEqual([{ orders: 2, amount: '35.5', lines: 3 }]);
	expect(await runStatus(runId)).toEqual([
		{ status: 'succeeded', error: 'completed after an interruption' }
	]);
	expect(await scratchTables()).toEqual([]);

	expect(await recoverRuns(t.db)).toEqual([]);
	expect(await totals()).toEqual([{ orders: 2, amount: '35.5', lines: 3 }]);
});

test('a run stopped before any of its commit is rolled forward from its load tables', async () => {
	const failing = withCommandHook(t.db, (query) => {
		if (/^ALTER TABLE accounts ATTACH PARTITION/.test(query)) throw new Error('killed');
	});
	const file = files.write(
		'late.csv',
		csv([
			['account_id', 'name', 'created_at'],
			['RC-4', 'Four', '2024-01-04'],
			['RC-2', 'Two renamed', '2024-01-01']
		])
	);
	await expect(loadFile(failing, { entity: 'accounts', file })).rejects.toThrow('killed');
	const names = () =>
		rows(
			t.db,
			"SELECT account_id, name FROM accounts FINAL WHERE account_id IN ('RC-2', 'RC-4') ORDER BY account_id"
		);
	expect(await names()).toEqual([{ account_id: 'RC-2', name: 'Two' }]);

	const recovered = await recoverRuns(t.db);
	expect(recovered.map((r) => r.action)).toEqual(['rolled-forward']);
	expect(await names()).toEqual([
		{ account_id: 'RC-2', name: 'Two renamed' },
		{ account_id: 'RC-4', name: 'Four' }
	]);
	expect(
		await count(t.db, "SELECT count() AS n FROM accounts FINAL WHERE startsWith(account_id, 'RC-')")
	).toBe(4);
	expect(await scratchTables()).toEqual([]);
});
