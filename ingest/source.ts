import {
	createReadStream,
	createWriteStream,
	openSync,
	readSync,
	closeSync,
	statSync
} from 'node:fs';
import { isAscii } from 'node:buffer';
import { pipeline as streamPipeline, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import path from 'node:path';
import iconv from 'iconv-lite';
import { IngestError } from './errors.ts';

export type SourceFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';
export type Compression = 'none' | 'gzip' | 'zstd';

export interface SourceFile {
	/** Absolute path ClickHouse reads (after any encoding conversion). */
	path: string;
	/** What the user named. */
	label: string;
	format: SourceFormat;
	compression: Compression;
	bytes: number;
	encoding: 'utf-8' | 'gb18030';
	/** A converted copy the run must delete when done. */
	temporary: boolean;
}

const EXT_FORMATS: Record<string, SourceFormat> = {
	'.csv': 'csv',
	'.tsv': 'tsv',
	'.tab': 'tsv',
	'.txt': 'csv',
	'.jsonl': 'jsonl',
	'.ndjson': 'jsonl',
	'.json': 'jsonl',
	'.parquet': 'parquet'
};

export const CLICKHOUSE_FORMAT: Record<SourceFormat, string> = {
	csv: 'CSVWithNames',
	tsv: 'TSVWithNames',
	jsonl: 'JSONEachRow',
	parquet: 'Parquet'
};

function compressionOf(file: string): Compression {
	if (/\.gz$/i.test(file)) return 'gzip';
	if (/\.zst$/i.test(file)) return 'zstd';
	return 'none';
}

export function detectFormat(file: string, explicit?: SourceFormat): SourceFormat {
	if (explicit) return explicit;
	const base = file.replace(/\.(gz|zst)$/i, '');
	const f = EXT_FORMATS[path.extname(base).toLowerCase()];
	if (!f) {
		throw new IngestError('file.unknownFormat', { file });
	}
	return f;
}

function readHead(file: string, n: number): Buffer {
	const fd = openSync(file, 'r');
	try {
		const buf = Buffer.alloc(n);
		const got = readSync(fd, buf, 0, n, 0);
		return buf.subarray(0, got);
	} finally {
		closeSync(fd);
	}
}

/** Large reads for the scans that may cover a whole file (the encoding of an all-ASCII file). */
const READ = { highWaterMark: 1024 * 1024 };

const MAGIC = {
	gzip: (b: Buffer) => b[0] === 0x1f && b[1] === 0x8b,
	zstd: (b: Buffer) => b.readUInt32LE(0) === 0xfd2fb528,
	parquet: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'PAR1'
};

/**
 * How much text past the first non-ASCII byte decides the encoding. GBK text is almost never valid
 * UTF-8 for more than a few characters, so this is plenty; it keeps the look bounded.
 */
const ENCODING_WINDOW = 64 * 1024;

/**
 * Index of the first byte in `b` that does not start or continue a valid UTF-8 sequence, or -1.
 * A sequence cut by the end of `b` is valid unless `b` ends the file.
 */
export function firstInvalidUtf8(b: Uint8Array, endsFile: boolean): number {
	let i = 0;
	while (i < b.length) {
		const c = b[i]!;
		if (c < 0x80) {
			i++;
			continue;
		}
		let n: number;
		let lo = 0x80;
		let hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) n = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c === 0xe0) lo = 0xa0;
			if (c === 0xed) hi = 0x9f; // UTF-16 surrogates are not characters
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c === 0xf0) lo = 0x90;
			if (c === 0xf4) hi = 0x8f; // above U+10FFFF
		} else return i;
		for (let k = 1; k <= n; k++) {
			if (i + k >= b.length) return endsFile ? i : -1;
			const d = b[i + k]!;
			if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
		}
		i += n + 1;
	}
	return -1;
}

/**
 * Index of the first byte in `b` that is not valid GB18030 (a superset of GBK and GB2312), or -1:
 * one byte 00–7F, two bytes 81–FE + 40–7E/80–FE, or four bytes 81–FE + 30–39 + 81–FE + 30–39.
 * A sequence cut by the end of `b` is valid unless `b` ends the file.
 */
export function firstInvalidGb18030(b: Uint8Array, endsFile: boolean): number {
	let i = 0;
	const at = (k: number) => (i + k < b.length ? b[i + k]! : -1);
	while (i < b.length) {
		const c = b[i]!;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c === 0x80 || c === 0xff) return i;
		const d = at(1);
		if (d < 0) return endsFile ? i : -1;
		if ((d >= 0x40 && d <= 0x7e) || (d >= 0x80 && d <= 0xfe)) {
			i += 2;
			continue;
		}
		if (d < 0x30 || d > 0x39) return i;
		const e = at(2);
		const f = at(3);
		if (e < 0 || f < 0) return endsFile ? i : -1;
		if (e < 0x81 || e > 0xfe || f < 0x30 || f > 0x39) return i;
		i += 4;
	}
	return -1;
}

export type EncodingVerdict =
	{ encoding: 'utf-8' | 'gb18030' } | { encoding: null; offset: number; bytes: Buffer };

/**
 * Decides the encoding of a text stream at its first non-ASCII byte: the stream is read chunk by
 * chunk (memory stays flat) until one is found, however late, then judged on ENCODING_WINDOW
 * bytes from there. All ASCII is UTF-8. Neither valid UTF-8 nor valid GB18030 there is no
 * verdict, with the byte offset and the bytes at fault.
 */
export async function detectEncoding(chunks: AsyncIterable<Buffer>): Promise<EncodingVerdict> {
	let offset = 0;
	let start = -1;
	const sample: Buffer[] = [];
	let sampled = 0;
	let endsFile = true;
	for await (const chunk of chunks) {
		if (start < 0) {
			if (isAscii(chunk)) {
				offset += chunk.length;
				continue;
			}
			let i = 0;
			while (chunk[i]! < 0x80) i++;
			start = offset + i;
			sample.push(chunk.subarray(i));
			sampled = chunk.length - i;
		} else {
			sample.push(chunk);
			sampled += chunk.length;
		}
		if (sampled > ENCODING_WINDOW) {
			endsFile = false;
			break;
		}
	}
	if (start < 0) return { encoding: 'utf-8' };
	const window = Buffer.concat(sample).subarray(0, ENCODING_WINDOW);
	const badUtf8 = firstInvalidUtf8(window, endsFile);
	if (badUtf8 < 0) return { encoding: 'utf-8' };
	if (firstInvalidGb18030(window, endsFile) < 0) return { encoding: 'gb18030' };
	return {
		encoding: null,
		offset: start + badUtf8,
		bytes: Buffer.from(window.subarray(badUtf8, badUtf8 + 4))
	};
}

/** 1-based line of a byte offset (for messages only: reads the file up to there once more). */
async function lineAt(chunks: AsyncIterable<Buffer>, offset: number): Promise<number> {
	let line = 1;
	let seen = 0;
	for await (const chunk of chunks) {
		const part = chunk.subarray(0, Math.max(0, offset - seen));
		for (let i = part.indexOf(10); i >= 0; i = part.indexOf(10, i + 1)) line++;
		seen += chunk.length;
		if (seen >= offset) break;
	}
	return line;
}

/**
 * Checks a file before a load: it exists, is not empty, its bytes match its name (compression,
 * Parquet magic), and text is UTF-8. GBK/GB18030 text (common in exports from Chinese CRMs) is
 * converted to a UTF-8 copy under `tmpDir`, streaming, so memory stays flat.
 */
export async function prepareSource(
	file: string,
	opts: {
		format?: SourceFormat;
		encoding?: 'utf-8' | 'gbk' | 'gb18030';
		tmpDir: string;
		runId: string;
	}
): Promise<SourceFile> {
	const label = file;
	const abs = path.resolve(file);
	let st;
	try {
		st = statSync(abs);
	} catch {
		throw new IngestError('file.missing', { file: label });
	}
	if (!st.isFile()) throw new IngestError('file.notAFile', { file: label });
	if (st.size === 0) {
		throw new IngestError('file.empty', { file: label });
	}
	const format = detectFormat(file, opts.format);
	const compression = compressionOf(file);
	const head = readHead(abs, 64 * 1024);
	if (compression === 'gzip' && !MAGIC.gzip(head)) {
		throw new IngestError('file.notGzip', { file: label });
	}
	if (compression === 'zstd' && !MAGIC.zstd(head)) {
		throw new IngestError('file.notZstd', { file: label });
	}
	if (compression === 'none' && (MAGIC.gzip(head) || MAGIC.zstd(head))) {
		throw new IngestError('file.compressedUnnamed', { file: label });
	}
	if (compression === 'none') {
		if (format === 'parquet' && !MAGIC.parquet(head)) {
			throw new IngestError('file.notParquet', { file: label });
		}
		if (format !== 'parquet' && MAGIC.parquet(head)) {
			throw new IngestError('file.isParquet', { file: label, format: format.toUpperCase() });
		}
		// Text has no NUL bytes (nor has GBK): an image or a workbook under a text name would
		// otherwise pass as GBK and fail later with nonsense column names.
		if (format !== 'parquet' && head.includes(0)) {
			throw new IngestError('file.binary', { file: label, format: format.toUpperCase() });
		}
	}
	let encoding: SourceFile['encoding'] = 'utf-8';
	if (format !== 'parquet') {
		if (opts.encoding === 'gbk' || opts.encoding === 'gb18030') encoding = 'gb18030';
		else if (!opts.encoding && compression !== 'zstd') {
			const text = () => readText(abs, compression);
			// Damaged gzip data: judged on what could be read; the load then names the damage.
			const verdict = await detectEncoding(text()).catch((): EncodingVerdict => ({
				encoding: 'utf-8'
			}));
			if (verdict.encoding === null) {
				const line = await lineAt(text(), verdict.offset);
				const hex = [...verdict.bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
				throw new IngestError('file.unknownEncoding', {
					file: label,
					bytes: hex.join(' '),
					offset: verdict.offset,
					line
				});
			}
			encoding = verdict.encoding;
		}
	}
	if (encoding === 'gb18030') {
		if (compression === 'zstd') {
			throw new IngestError('file.zstdGbk', { file: label });
		}
		const out = path.join(opts.tmpDir, `${opts.runId}.utf8.${format}`);
		const input =
			compression === 'gzip' ? createReadStream(abs).pipe(createGunzip()) : createReadStream(abs);
		await pipeline(
			input,
			iconv.decodeStream('gb18030'),
			iconv.encodeStream('utf8'),
			createWriteStream(out)
		).catch((e: Error) => {
			throw new IngestError('file.gbkConversion', { file: label, detail: e.message });
		});
		return {
			path: out,
			label,
			format,
			compression: 'none',
			bytes: statSync(out).size,
			encoding,
			temporary: true
		};
	}
	return { path: abs, label, format, compression, bytes: st.size, encoding, temporary: false };
}

/** A file's (decompressed) bytes; a reader that stops early closes the file as well. */
function readText(file: string, compression: Compression): Readable {
	const raw = createReadStream(file, READ);
	if (compression !== 'gzip') return raw;
	// pipeline, unlike pipe, destroys the file stream when the gunzip stream is destroyed.
	return streamPipeline(raw, createGunzip(), () => undefined);
}

/** A string literal for ClickHouse SQL (for file paths we produced or resolved, never user text). */
export function sqlString(s: string): string {
	return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A backquoted identifier for a source header (any text, e.g. 客户编号). */
export function sqlIdent(s: string): string {
	return `\`${s.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}
