import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary folder for the source files one test file generates; removed in afterAll. */
export function fixtureDir(): {
	dir: string;
	write: (name: string, content: string | Uint8Array) => string;
	cleanup: () => void;
} {
	const dir = mkdtempSync(path.join(tmpdir(), 'tenure-files-'));
	return {
		dir,
		write: (name, content) => {
			const file = path.join(dir, name);
			writeFileSync(file, content);
			return file;
		},
		cleanup: () => rmSync(dir, { recursive: true, force: true })
	};
}

/** CSV text from rows of fields, quoting as Excel does (comma, quote or newline inside a field). */
export function csv(rows: readonly (readonly (string | number)[])[]): string {
	const field = (v: string | number) => {
		const s = String(v);
		return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
	};
	return rows.map((r) => r.map(field).join(',')).join('\n') + '\n';
}
