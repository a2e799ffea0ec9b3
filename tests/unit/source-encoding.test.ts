import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { detectEncoding, firstInvalidGb18030, firstInvalidUtf8 } from '../../ingest/source.ts';

/** The bytes as a stream of chunks of the given size, as a file reader would deliver them. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
	for (let i = 0; i < bytes.length; i += size) {
		yield bytes.subarray(i, i + size);
		await Promise.resolve();
	}
}

describe('byte validators', () => {
	test('UTF-8 validity agrees with Node’s own check on any bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
				expect(firstInvalidUtf8(bytes, true) < 0).toBe(isUtf8(bytes));
			}),
			{ numRuns: 2000 }
		);
	});

	test('encoded text is valid in its own encoding, and a cut at the end is only invalid at the end of the file', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
				const utf8 = Buffer.from(text, 'utf8');
				const gb = iconv.encode(text, 'gb18030');
				expect(firstInvalidUtf8(utf8, true)).toBe(-1);
				expect(firstInvalidGb18030(gb, true)).toBe(-1);
				for (const cut of [utf8.subarray(0, utf8.length - 1), gb.subarray(0, gb.length - 1)]) {
					expect(firstInvalidUtf8(cut, false) < 0 || firstInvalidGb18030(cut, false) < 0).toBe(
						true
					);
				}
			})
		);
		// 客 in UTF-8 is E5 AE A2: cut after two bytes, valid mid-file, invalid at its end.
		expect(firstInvalidUtf8(Buffer.from([0x41, 0xe5, 0xae]), false)).toBe(-1);
		expect(firstInvalidUtf8(Buffer.from([0x41, 0xe5, 0xae]), true)).toBe(1);
		// 客 in GBK is BF CD.
		expect(firstInvalidGb18030(Buffer.from([0x41, 0xbf]), false)).toBe(-1);
		expect(firstInvalidGb18030(Buffer.from([0x41, 0xbf]), true)).toBe(1);
		expect(firstInvalidGb18030(Buffer.from([0x41, 0xe9, 0x2c]), false)).toBe(1);
	});
});

describe('detectEncoding', () => {
	const prefix = 'a,b\n'.repeat(50_000); // 200 KB of ASCII before any other byte

	test('decides at the first non-ASCII byte, however late, whatever the chunk size', async () => {
		for (const size of [7, 4096, 1024 * 1024]) {
			expect(await detectEncoding(chunked(Buffer.from(`${prefix}客户\n`), size))).toEqual({
				encoding: 'utf-8'
			});
			expect(await detectEncoding(chunked(iconv.encode(`${prefix}客户\n`, 'gbk'), size))).toEqual({
				encoding: 'gb18030'
			});
		}
		expect(await detectEncoding(chunked(Buffer.from(prefix), 4096))).toEqual({ encoding: 'utf-8' });
	});

	test('reads only a bounded window past the first non-ASCII byte', async () => {
		let read = 0;
		async function* counted(): AsyncGenerator<Buffer> {
			for await (const c of chunked(Buffer.from(`${prefix}${'客'.repeat(1_000_000)}`), 4096)) {
				read += c.length;
				yield c;
			}
		}
		expect(await detectEncoding(counted())).toEqual({ encoding: 'utf-8' });
		expect(read).toBeLessThan(prefix.length + 128 * 1024);
	});

	test('neither encoding: no verdict, with the offset and the bytes at fault', async () => {
		const bytes = iconv.encode(`${prefix}Café,1\n`, 'win1252');
		expect(await detectEncoding(chunked(bytes, 4096))).toEqual({
			encoding: null,
			offset: prefix.length + 3,
			bytes: Buffer.from([0xe9, 0x2c, 0x31, 0x0a])
		});
	});
});
