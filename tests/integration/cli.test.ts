import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDb } from '../factories/db.ts';

/**
 * The `tenure` command as a user runs it, in its own process. This file's process holds the test
 * data directory open, as a running portal would.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => {
	t = await openTestDb();
});
afterAll(async () => t.cleanup());

function tenure(args: string[], env: Record<string, string> = {}) {
	return spawnSync(process.execPath, ['bin/tenure.mjs', ...args], {
		encoding: 'utf8',
		env: { ...process.env, ...env },
		timeout: 60_000
	});
}

test('a command on a data directory the portal holds says so in one sentence', () => {
	const r = tenure(['migrate'], { TENURE_DATA_DIR: t.dir });
	expect(r.status).toBe(2);
	// The engine prints its own "Cannot lock file" line first (native stderr); ours comes last,
	// names the holding process, and no stack trace follows.
	const lines = r.stderr.trim().split('\n');
	expect(lines.at(-1)).toBe(
		`tenure: The data directory ${t.dir} is in use by another Tenure process (pid ${process.pid}), usually the running portal: use the portal's admin page or API at http://localhost:3000/admin, or stop the portal and run this command again.`
	);
	expect(r.stderr).not.toMatch(/^\s+at /m);
});

test('an invalid setting stops the command with the variable named', () => {
	const r = tenure(['migrate'], { TENURE_DATA_DIR: t.dir, TENURE_TZ: 'Mars/Olympus' });
	expect(r.status).toBe(2);
	expect(r.stderr).toContain('TENURE_TZ: is not an IANA time zone');
});

test('an unknown entity is refused before anything is opened, with the closest match', () => {
	const file = path.join(t.dir, 'x.csv');
	writeFileSync(file, 'account_id\nA1\n');
	const r = tenure(['ingest', 'acounts', file], { TENURE_DATA_DIR: t.dir });
	expect(r.status).not.toBe(0);
	expect(r.stderr).toContain("Unknown entity 'acounts'. Did you mean 'accounts'?");
});

test('every subcommand has --help', () => {
	for (const cmd of [
		'migrate',
		'ingest',
		'runs',
		'rejects',
		'generate',
		'demo',
		'user add',
		'ltv',
		'refresh',
		'train',
		'score',
		'model list',
		'model promote',
		'export'
	]) {
		const r = tenure([...cmd.split(' '), '--help']);
		expect(r.status, cmd).toBe(0);
		expect(r.stdout, cmd).toMatch(/^Usage: tenure /);
	}
});
