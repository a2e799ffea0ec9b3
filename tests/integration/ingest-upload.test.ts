import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	utimesSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeDb, getDb } from '../../src/lib/server/db.ts';
import { saveUpload, sweepUploads } from '../../src/lib/server/upload.ts';
import { POST } from '../../src/routes/api/ingest/[entity]/+server.ts';
import { rows } from '../factories/db.ts';

/**
 * The upload endpoint's retention of uploaded files, through the real handler on a real embedded
 * database (the endpoint's own, in a temporary TENURE_DATA_DIR: one per test file).
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'tenure-upload-'));
const uploads = path.join(dataDir, 'uploads');
const DAY = 24 * 60 * 60 * 1000;

beforeAll(() => {
	process.env.TENURE_DATA_DIR = dataDir;
	process.env.TENURE_TZ = 'Asia/Shanghai';
});
afterAll(async () => {
	await closeDb();
	rmSync(dataDir, { recursive: true, force: true });
});

async function upload(
	entity: string,
	filename: string,
	body: string,
	mapping?: object
): Promise<{ status: number; body: { runId: string; status: string; error?: string } }> {
	const url = new URL(
		`http://localhost/api/ingest/${entity}?filename=${encodeURIComponent(filename)}`
	);
	const headers = new Headers();
	if (mapping) {
		headers.set(
			'x-mapping',
			encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(mapping)))
		);
	}
	const request = new Request(url, { method: 'POST', body, headers });
	const event = {
		locals: {
			user: {
				user_id: 'u1',
				email: 'admin@example.com',
				name: 'A',
				role: 'admin',
				team: '',
				locale: 'en'
			},
			session: null,
			locale: 'en'
		},
		params: { entity },
		url,
		request
	} as unknown as Parameters<typeof POST>[0] & RequestEvent;
	const response = await POST(event);
	return { status: response.status, body: await response.json() };
}

/** Every file under uploads/, relative, sorted (dot files included). */
function uploadedFiles(): string[] {
	if (!existsSync(uploads)) return [];
	return readdirSync(uploads, { recursive: true, withFileTypes: true })
		.filter((e) => e.isFile())
		.map((e) => path.relative(uploads, path.join(e.parentPath, e.name)))
		.sort();
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
function leftover(rel: string, content: string, ageMs: number): string {
	const full = path.join(uploads, rel);
	mkdirSync(path.dirname(full), { recursive: true });
	writeFileSync(full, content);
	const at = new Date(Date.now() - ageMs);
	utimesSync(full, at, at);
	if (path.dirname(rel) !== '.') utimesSync(path.dirname(full), at, at);
	return full;
}

describe('uploaded files', () => {
	test('what an earlier process left is swept before the first upload; failed uploads stay a week', async () => {
		// An upload cut short by a restart (no load finished it), from before this process started.
		leftover(`${uuid(1)}/accounts.csv`, 'account_id,name\nX,', 60_000 + process.uptime() * 1000);
		// A failed upload 8 days ago and one from yesterday.
		leftover(`${uuid(2)}/old.csv`, 'x', 8 * DAY);
		leftover(`${uuid(2)}/.failed.json`, '{}', 8 * DAY);
		leftover(`${uuid(3)}/recent.csv`, 'x', DAY);
		leftover(`${uuid(3)}/.failed.json`, '{}', DAY);
		// A succeeded upload's mapping; flat files from before uploads had folders.
		leftover(`${uuid(4)}/.mapping.json`, '{}', 30 * DAY);
		leftover(`${uuid(5)}-legacy.csv`, 'x', 8 * DAY);
		leftover(`${uuid(5)}-legacy.csv.mapping.json`, '{}', 8 * DAY);
		leftover(`${uuid(6)}-legacy-recent.csv`, 'x', DAY);

		const r = await upload(
			'accounts',
			'first.csv',
			'account_id,name,created_at\nUP-1,One,2024-01-01\n'
		);
		expect([r.status, r.body.status]).toEqual([200, 'succeeded']);
		expect(uploadedFiles()).toEqual([
			`${uuid(3)}/.failed.json`,
			`${uuid(3)}/recent.csv`,
			`${uuid(4)}/.mapping.json`,
			`${uuid(5)}-legacy.csv.mapping.json`,
			`${uuid(6)}-legacy-recent.csv`
		]);
	});

	test('a succeeded load deletes its file and keeps the mapping its run names', async () => {
		const before = new Set(uploadedFiles());
		const r = await upload(
			'accounts',
			'客户.csv',
			'客户编号,name,created_at\nUP-2,Two,2024-01-02\n',
			{ entity: 'accounts', columns: { 客户编号: 'account_id' } }
		);
		expect([r.status, r.body.status]).toEqual([200, 'succeeded']);
		const added = uploadedFiles().filter((f) => !before.has(f));
		expect(added).toEqual([expect.stringMatching(/^[0-9a-f-]{36}\/\.mapping\.json$/)]);
		const [run] = await rows<{ source_file: string; mapping: string }>(
			await getDb(),
			`SELECT source_file, mapping FROM ingest_runs FINAL WHERE run_id = '${r.body.runId}'`
		);
		expect(run!.mapping).toBe(path.join(uploads, added[0]!));
		expect(JSON.parse(readFileSync(run!.mapping, 'utf8'))).toMatchObject({ entity: 'accounts' });
		expect(path.basename(run!.source_file)).toBe('客户.csv');
		expect(existsSync(run!.source_file)).toBe(false);
	});

	test('a failed load keeps its file, with why, until the week is over', async () => {
		const before = new Set(uploadedFiles());
		const r = await upload('accounts', 'broken.csv', 'nothing,useful\n1,2\n');
		expect([r.status, r.body.status]).toEqual([422, 'failed']);
		const added = uploadedFiles().filter((f) => !before.has(f));
		expect(added).toEqual([
			expect.stringMatching(/^[0-9a-f-]{36}\/\.failed\.json$/),
			expect.stringMatching(/^[0-9a-f-]{36}\/broken\.csv$/)
		]);
		const folder = path.join(uploads, path.dirname(added[0]!));
		expect(JSON.parse(readFileSync(path.join(folder, '.failed.json'), 'utf8'))).toEqual({
			runId: r.body.runId,
			failedAt: expect.any(String),
			error: r.body.error
		});
		expect(sweepUploads(uploads, { now: Date.now() + 6 * DAY })).not.toContain(folder);
		expect(sweepUploads(uploads, { now: Date.now() + 8 * DAY })).toContain(folder);
		expect(existsSync(folder)).toBe(false);
	});

	test('a sweep never touches an upload still being received', async () => {
		let push: (chunk: Uint8Array | null) => void = () => undefined;
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				push = (chunk) => (chunk ? controller.enqueue(chunk) : controller.close());
			}
		});
		const saving = saveUpload(body, uploads, 'slow.csv', 1024);
		push(new TextEncoder().encode('account_id,name\n'));
		await new Promise((resolve) => setTimeout(resolve, 50));
		// Even a sweep that takes everything for an earlier process's leftovers keeps it.
		sweepUploads(uploads, { startedAt: Date.now() + DAY });
		push(new TextEncoder().encode('S-1,Slow\n'));
		push(null);
		const { file } = await saving;
		expect(readFileSync(file, 'utf8')).toBe('account_id,name\nS-1,Slow\n');
	});
});
