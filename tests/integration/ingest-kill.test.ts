import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { recoverRuns } from '../../ingest/load.ts';
import { count, openTestDb, rows } from '../factories/db.ts';
import { csv } from '../factories/files.ts';

/**
 * A real kill -9 of `tenure ingest` part-way through a load. The CLI runs in child processes on
 * their own data directory; this process opens that directory only after the last child is dead
 * (chDB locks a data directory to one process, and a process can open only one in its lifetime,
 * so this test has a file of its own).
 */

const work = mkdtempSync(path.join(tmpdir(), 'tenure-kill-'));
const dataDir = path.join(work, 'data');
const env = { ...process.env, TENURE_DATA_DIR: dataDir, TENURE_TZ: 'Asia/Shanghai' };
const cli = path.resolve('bin/tenure.mjs');
let t: Awaited<ReturnType<typeof openTestDb>> | null = null;

afterAll(async () => {
	await t?.cleanup();
	rmSync(work, { recursive: true, force: true });
});

/** Waits until a file matching `pattern` appears in `dir` (polled; the child creates it). */
async function waitForFile(dir: string, pattern: RegExp, timeoutMs: number): Promise<string> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		let names: string[] = [];
		try {
			names = readdirSync(dir);
		} catch {
			/* not created yet */
		}
		const hit = names.find((n) => pattern.test(n));
		if (hit) return hit;
		if (Date.now() > until) {
			throw new Error(`no file matching ${pattern} in ${dir} after ${timeoutMs} ms`);
		}
		await new Promise((r) => setTimeout(r, 2));
	}
}

test('kill -9 during a load: recovery marks the run failed, the core tables are untouched', async () => {
	// 1. A first, complete load through the CLI.
	const small = path.join(work, 'small.csv');
	writeFileSync(
		small,
		csv([
			['account_id', 'name', 'created_at'],
			['KL-1', 'One', '2024-01-01'],
			['KL-2', 'Two', '2024-01-02'],
			['KL-3', 'Three', '2024-01-03']
		])
	);
	const first = await promisify(execFile)('node', [cli, 'ingest', 'accounts', small, '--json'], {
		env
	});
	expect(JSON.parse(first.stdout)).toMatchObject({ status: 'succeeded', rowsNew: 3 });

	// 2. A 200,000-row load, killed as soon as it starts staging: the whole file has been parsed
	// into scratch tables and the commit (a few hundred ms later) has not begun.
	const big = path.join(work, 'big.csv');
	const lines = ['account_id,name,industry,region,created_at', 'KL-1,One renamed,x,y,2024-01-01'];
	for (let i = 0; i < 200_000; i++) {
		lines.push(
			`KB-${i},Company ${i},Industry ${i % 20},Region ${i % 7},2024-02-${String(1 + (i % 28)).padStart(2, '0')}`
		);
	}
	writeFileSync(big, `${lines.join('\n')}\n`);
	const child = spawn('node', [cli, 'ingest', 'accounts', big, '--json'], { env, stdio: 'ignore' });
	const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
		child.on('exit', (code, signal) => resolve(signal ?? code))
	);
	const metadata = path.join(dataDir, 'clickhouse', 'metadata', 'default');
	await waitForFile(metadata, /^_ing_\w+_excl_accounts\.sql$/, 30_000);
	child.kill('SIGKILL');
	// Killed, not finished: had the load completed first, the exit code would be 0.
	expect(await exited).toBe('SIGKILL');

	// 3. Open what the dead process left.
	t = await openTestDb(dataDir);
	const db = t.db;
	const running = await rows<{ run_id: string }>(
		db,
		"SELECT run_id FROM ingest_runs FINAL WHERE status = 'running'"
	);
	expect(running).toHaveLength(1);
	const runId = running[0]!.run_id;
	const leftovers = () =>
		count(
			db,
			"SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '_ing_')"
		);
	expect(await leftovers()).toBeGreaterThan(0);

	expect(await recoverRuns(db)).toEqual([{ runId, action: 'marked-failed' }]);
	expect(await rows(db, `SELECT status FROM ingest_runs FINAL WHERE run_id = '${runId}'`)).toEqual([
		{ status: 'failed' }
	]);
	expect(await leftovers()).toBe(0);
	expect(await rows(db, 'SELECT account_id, name FROM accounts FINAL ORDER BY account_id')).toEqual(
		[
			{ account_id: 'KL-1', name: 'One' },
			{ account_id: 'KL-2', name: 'Two' },
			{ account_id: 'KL-3', name: 'Three' }
		]
	);
	expect(await count(db, 'SELECT count() AS n FROM accounts')).toBe(3);
}, 90_000);
