import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inboxDir, startDropFolder } from '../../src/lib/server/drop-folder.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { csv } from '../factories/files.ts';

/** The inbox: what a run records about a file the drop folder picked up and filed away. */

let t: Awaited<ReturnType<typeof openTestDb>>;
let inbox: string;
let watcher: ReturnType<typeof startDropFolder>;
beforeAll(async () => {
	t = await openTestDb();
	inbox = inboxDir(t.db.dataDir);
	// Scans only when the test asks (the interval is far beyond the test's time).
	watcher = startDropFolder(t.db, { intervalMs: 3_600_000, log: () => undefined });
});
afterAll(async () => {
	watcher.stop();
	await t.cleanup();
});

/** Two scans pick a stable file up; then waits for its result.json under done/ or failed/. */
async function pickUp(
	name: string
): Promise<{ folder: string; result: { runId: string; file: string }[] }> {
	await watcher.scan();
	await watcher.scan();
	for (let i = 0; i < 300; i++) {
		for (const outcome of ['done', 'failed']) {
			const dir = path.join(inbox, outcome);
			const hit = existsSync(dir) && readdirSync(dir).find((d) => d.endsWith(`-${name}`));
			if (hit && existsSync(path.join(dir, hit, 'result.json'))) {
				const folder = path.join(dir, hit);
				return {
					folder,
					result: JSON.parse(readFileSync(path.join(folder, 'result.json'), 'utf8'))
				};
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`${name} was not filed under done/ or failed/`);
}

const runOf = async (runId: string) =>
	(
		await rows<{ source_file: string; mapping: string; status: string }>(
			t.db,
			`SELECT source_file, mapping, status FROM ingest_runs FINAL WHERE run_id = '${runId}'`
		)
	)[0]!;

test('a single inbox file: the run names the file where the inbox filed it', async () => {
	const name = 'accounts.crm.csv';
	writeFileSync(
		path.join(inbox, name),
		csv([
			['account_id', 'name', 'created_at'],
			['IN-1', 'One', '2024-01-01']
		])
	);
	const { folder, result } = await pickUp(name);
	expect(path.basename(path.dirname(folder))).toBe('done');
	const moved = path.join(folder, name);
	expect(existsSync(moved)).toBe(true);
	expect(existsSync(path.join(inbox, name))).toBe(false);
	expect(await runOf(result[0]!.runId)).toEqual({
		source_file: moved,
		mapping: '',
		status: 'succeeded'
	});
	expect(result[0]!.file).toBe(moved);
});

test('a failed inbox file: the run names the file under failed/', async () => {
	const name = 'accounts.broken.csv';
	writeFileSync(path.join(inbox, name), 'nothing,useful\n1,2\n');
	const { folder, result } = await pickUp(name);
	expect(path.basename(path.dirname(folder))).toBe('failed');
	const run = await runOf(result[0]!.runId);
	expect(run.status).toBe('failed');
	expect(run.source_file).toBe(path.join(folder, name));
	expect(existsSync(run.source_file)).toBe(true);
});

test('a manifest folder: each run names its file and mapping inside the filed folder', async () => {
	const name = 'export-2025-01';
	const dir = path.join(inbox, name);
	mkdirSync(dir);
	writeFileSync(
		path.join(dir, '客户.csv'),
		csv([
			['编号', 'name', 'created_at'],
			['IN-2', 'Two', '2024-01-02']
		])
	);
	writeFileSync(
		path.join(dir, 'accounts.json'),
		JSON.stringify({ entity: 'accounts', columns: { 编号: 'account_id' } })
	);
	writeFileSync(
		path.join(dir, 'manifest.json'),
		JSON.stringify({ files: [{ file: '客户.csv', entity: 'accounts', mapping: 'accounts.json' }] })
	);
	writeFileSync(path.join(dir, 'READY'), '');
	const { folder, result } = await pickUp(name);
	expect(path.basename(path.dirname(folder))).toBe('done');
	expect(await runOf(result[0]!.runId)).toEqual({
		source_file: path.join(folder, '客户.csv'),
		mapping: path.join(folder, 'accounts.json'),
		status: 'succeeded'
	});
	expect(existsSync(path.join(folder, '客户.csv'))).toBe(true);
	expect(existsSync(path.join(folder, 'accounts.json'))).toBe(true);
});
