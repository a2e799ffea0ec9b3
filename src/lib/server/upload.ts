import { randomUUID } from 'node:crypto';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';

export class UploadTooLargeError extends Error {
	override name = 'UploadTooLargeError';
}

/**
 * A client-supplied file name made safe to use as the last part of a path: no directories, no
 * control characters, no leading dots, bounded length. The extension is kept because the loader
 * detects the format from it. Non-ASCII names (客户.csv) are kept as they are.
 */
export function safeFileName(name: string | null | undefined): string {
	const base = (name ?? '').split(/[\\/]/).pop() ?? '';
	const cleaned = base
		// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
		.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
		.replace(/^[.\s]+/, '')
		.trim();
	if (!cleaned) return 'upload';
	if (cleaned.length <= 120) return cleaned;
	const ext =
		path.extname(cleaned.replace(/\.(gz|zst)$/i, '')) + (/\.(gz|zst)$/i.exec(cleaned)?.[0] ?? '');
	return cleaned.slice(0, 120 - ext.length) + ext;
}

/** How much of an oversized body is read and discarded so the client can still receive the 413. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Upload retention. Each upload is a folder `<uploads>/<uuid>/` holding the file under its own
 * (safe) name, and `.mapping.json` when the request carried a mapping:
 * - a load that succeeded deletes the file: what it held is stored, and the run keeps its SHA-256;
 *   the small mapping stays, since the run's mapping column names it;
 * - a load that failed keeps the file with `.failed.json` (run, time, error) for FAILED_KEEP_DAYS,
 *   so an administrator can see what was sent; rows a succeeded load rejected need no file, as
 *   ingest_rejects keeps their row number, reason and raw values;
 * - a file no load finished (the process stopped mid-upload or with the load still queued) is
 *   removed by the next process's sweep: a half-received file is useless and a queued job does not
 *   survive a restart, so the user uploads again. Folders this process is still receiving or
 *   loading are never touched.
 * An upload's name never starts with a dot (safeFileName strips leading dots), so the dot files
 * never collide with it.
 */
export const FAILED_KEEP_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAPPING_FILE = '.mapping.json';
const FAILED_FILE = '.failed.json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Upload folders this process is receiving or loading: a sweep never removes them. */
const held = new Set<string>();
const processStarted = Date.now() - process.uptime() * 1000;

/**
 * Streams a request body to `<dir>/<uuid>/<name>` without holding it in memory. More than
 * `maxBytes` deletes the partial file and throws UploadTooLargeError. The caller then loads the
 * file through settleAfter, which applies the retention policy when the load is over.
 *
 * Past the limit the rest of the body is read and dropped (up to DRAIN_BYTES) rather than the
 * stream cancelled: cancelling makes adapter-node destroy the socket, and the client would see a
 * connection reset instead of the 413. Beyond that the connection is cut.
 */
export async function saveUpload(
	body: ReadableStream<Uint8Array>,
	dir: string,
	name: string,
	maxBytes: number
): Promise<{ file: string; bytes: number }> {
	const folder = path.resolve(dir, randomUUID());
	held.add(folder);
	const file = path.join(folder, safeFileName(name));
	let bytes = 0;
	const limit = new Transform({
		transform(chunk: Buffer, _enc, done) {
			bytes += chunk.length;
			if (bytes <= maxBytes) done(null, chunk);
			else if (bytes <= maxBytes + DRAIN_BYTES) done();
			else done(new UploadTooLargeError(`The upload is larger than ${maxBytes} bytes.`));
		}
	});
	const discard = () => {
		rmSync(folder, { recursive: true, force: true });
		held.delete(folder);
	};
	try {
		mkdirSync(folder, { recursive: true });
		await pipeline(
			Readable.fromWeb(body as NodeWebStream<Uint8Array>),
			limit,
			createWriteStream(file, { flags: 'wx' })
		);
	} catch (e) {
		discard();
		throw e;
	}
	if (bytes > maxBytes) {
		discard();
		throw new UploadTooLargeError(`The upload is larger than ${maxBytes} bytes.`);
	}
	return { file, bytes };
}

/** Where the mapping sent with an upload is kept (the run's mapping column names this path). */
export function mappingPath(file: string): string {
	return path.join(path.dirname(file), MAPPING_FILE);
}

/**
 * Applies the retention policy to an upload whose load is over: `result` is the load's outcome,
 * or an error when the load never ran or threw.
 */
export function settleUpload(
	file: string,
	result: { status: 'succeeded' | 'failed'; runId?: string; error?: string } | { error: string }
): void {
	const folder = path.dirname(file);
	try {
		if ('status' in result && result.status === 'succeeded') {
			rmSync(file, { force: true });
			if (!existsSync(path.join(folder, MAPPING_FILE))) {
				rmSync(folder, { recursive: true, force: true });
			}
		} else {
			const failed = {
				runId: 'runId' in result ? (result.runId ?? null) : null,
				failedAt: new Date().toISOString(),
				error: result.error ?? ''
			};
			writeFileSync(path.join(folder, FAILED_FILE), JSON.stringify(failed, null, 2));
		}
	} finally {
		held.delete(folder);
	}
}

/**
 * Runs the load of a saved upload, then applies the retention policy to the file whatever the
 * outcome (settleUpload) and sweeps what earlier uploads left past their time.
 */
export async function settleAfter<
	T extends { status: 'succeeded' | 'failed'; runId?: string; error?: string }
>(file: string, load: () => Promise<T>): Promise<T> {
	let result: T;
	try {
		result = await load();
	} catch (e) {
		settleUpload(file, { error: e instanceof Error ? e.message : String(e) });
		throw e;
	}
	settleUpload(file, result);
	sweepUploads(path.dirname(path.dirname(file)));
	return result;
}

/**
 * Removes what the retention policy no longer keeps under `dir` and returns the removed paths:
 * failed uploads older than `keepFailedDays`, and files from before this process started that
 * no load finished. Run at start and after each upload; safe while uploads are in progress.
 * Flat `<uuid>-<name>` files from before uploads had folders go once older than the retention.
 */
export function sweepUploads(
	dir: string,
	opts: { now?: number; keepFailedDays?: number; startedAt?: number } = {}
): string[] {
	const now = opts.now ?? Date.now();
	const expired = (ms: number) => ms + (opts.keepFailedDays ?? FAILED_KEEP_DAYS) * DAY_MS < now;
	const startedAt = opts.startedAt ?? processStarted;
	const removed: string[] = [];
	const remove = (p: string) => {
		rmSync(p, { recursive: true, force: true });
		removed.push(p);
	};
	let entries;
	try {
		entries = readdirSync(dir, { withFileTypes: true });
	} catch {
		return removed; // no uploads yet
	}
	for (const entry of entries) {
		const full = path.resolve(dir, entry.name);
		if (!entry.isDirectory()) {
			if (
				entry.isFile() &&
				!entry.name.endsWith('.mapping.json') &&
				expired(statSync(full).mtimeMs)
			) {
				remove(full);
			}
			continue;
		}
		if (!UUID.test(entry.name) || held.has(full)) continue;
		const names = readdirSync(full);
		if (names.includes(FAILED_FILE)) {
			if (expired(statSync(path.join(full, FAILED_FILE)).mtimeMs)) remove(full);
		} else if (names.some((n) => !n.startsWith('.'))) {
			if (statSync(full).mtimeMs < startedAt) remove(full);
		} else if (names.length === 0) {
			remove(full);
		}
	}
	return removed;
}

let swept = false;
/**
 * The sweep of a new process, which removes what an earlier one left (an upload or a queued load
 * cut short by a restart). Call it at start; the upload endpoint also calls it before its first
 * upload, so it runs once either way.
 */
export function sweepUploadsOnce(dir: string): string[] {
	if (swept) return [];
	swept = true;
	return sweepUploads(dir);
}
