import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
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
 * Streams a request body to `<dir>/<uuid>-<name>` without holding it in memory. More than
 * `maxBytes` deletes the partial file and throws UploadTooLargeError.
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
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${randomUUID()}-${safeFileName(name)}`);
	let bytes = 0;
	const limit = new Transform({
		transform(chunk: Buffer, _enc, done) {
			bytes += chunk.length;
			if (bytes <= maxBytes) done(null, chunk);
			else if (bytes <= maxBytes + DRAIN_BYTES) done();
			else done(new UploadTooLargeError(`The upload is larger than ${maxBytes} bytes.`));
		}
	});
	try {
		await pipeline(
			Readable.fromWeb(body as NodeWebStream<Uint8Array>),
			limit,
			createWriteStream(file, { flags: 'wx' })
		);
	} catch (e) {
		rmSync(file, { force: true });
		throw e;
	}
	if (bytes > maxBytes) {
		rmSync(file, { force: true });
		throw new UploadTooLargeError(`The upload is larger than ${maxBytes} bytes.`);
	}
	return { file, bytes };
}
