import {
	createReadStream,
	createWriteStream,
	openSync,
	readSync,
	closeSync,
	statSync
} from 'node:fs';
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
		throw new IngestError(
			`Cannot tell the format of ${file} from its name: use --format csv|tsv|jsonl|parquet (or a .csv, .tsv, .jsonl or .parquet name).`
		);
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

const MAGIC = {
	gzip: (b: Buffer) => b[0] === 0x1f && b[1] === 0x8b,
	zstd: (b: Buffer) => b.readUInt32LE(0) === 0xfd2fb528,
	parquet: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'PAR1'
};

/** True when the bytes are valid UTF-8 (a multi-byte sequence cut at the end is allowed). */
function isUtf8(bytes: Buffer): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
		return true;
	} catch {
		return false;
	}
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
		throw new IngestError(`File ${label} does not exist.`);
	}
	if (!st.isFile()) throw new IngestError(`${label} is not a file.`);
	if (st.size === 0) {
		throw new IngestError(`File ${label} is empty (0 bytes): there is nothing to load.`);
	}
	const format = detectFormat(file, opts.format);
	const compression = compressionOf(file);
	const head = readHead(abs, 64 * 1024);
	if (compression === 'gzip' && !MAGIC.gzip(head)) {
		throw new IngestError(`File ${label} is named .gz but is not gzip-compressed.`);
	}
	if (compression === 'zstd' && !MAGIC.zstd(head)) {
		throw new IngestError(`File ${label} is named .zst but is not zstd-compressed.`);
	}
	if (compression === 'none' && (MAGIC.gzip(head) || MAGIC.zstd(head))) {
		throw new IngestError(
			`File ${label} is compressed but its name does not say so: rename it to end in .gz or .zst.`
		);
	}
	if (compression === 'none') {
		if (format === 'parquet' && !MAGIC.parquet(head)) {
			throw new IngestError(`File ${label} is not a Parquet file (no PAR1 header).`);
		}
		if (format !== 'parquet' && MAGIC.parquet(head)) {
			throw new IngestError(
				`File ${label} is a Parquet file, not ${format.toUpperCase()}: load it with --format parquet.`
			);
		}
		// Text has no NUL bytes (nor has GBK): an image or a workbook under a text name would
		// otherwise pass as GBK and fail later with nonsense column names.
		if (format !== 'parquet' && head.includes(0)) {
			const name = format.toUpperCase();
			throw new IngestError(
				`File ${label} is not ${name} text: it contains binary data (NUL bytes). Check that it is the right file, or export it again as ${name}.`
			);
		}
	}
	let encoding: SourceFile['encoding'] = 'utf-8';
	if (format !== 'parquet') {
		if (opts.encoding === 'gbk' || opts.encoding === 'gb18030') encoding = 'gb18030';
		else if (!opts.encoding && compression === 'none' && !isUtf8(head)) encoding = 'gb18030';
		else if (!opts.encoding && compression === 'gzip') {
			const inner = await gunzipHead(abs, 64 * 1024).catch(() => null);
			if (inner && !isUtf8(inner)) encoding = 'gb18030';
		}
	}
	if (encoding === 'gb18030') {
		if (compression === 'zstd') {
			throw new IngestError(
				`File ${label} is zstd-compressed GBK text: decompress it (or save it as UTF-8) and load again.`
			);
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
			throw new IngestError(`File ${label} could not be converted from GBK to UTF-8: ${e.message}`);
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

async function gunzipHead(file: string, n: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	const stream = createReadStream(file).pipe(createGunzip());
	for await (const chunk of stream) {
		chunks.push(chunk as Buffer);
		size += (chunk as Buffer).length;
		if (size >= n) break;
	}
	stream.destroy();
	return Buffer.concat(chunks).subarray(0, n);
}

/** A string literal for ClickHouse SQL (for file paths we produced or resolved, never user text). */
export function sqlString(s: string): string {
	return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A backquoted identifier for a source header (any text, e.g. 客户编号). */
export function sqlIdent(s: string): string {
	return `\`${s.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}
