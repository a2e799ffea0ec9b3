import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The project root (where `sql/` lives). The CLI runs from source (tsx) and the portal from a
 * bundle in build/, so neither import.meta.url nor the cwd alone is reliable: try both.
 */
export function projectRoot(): string {
	if (cached) return cached;
	const starts = [
		process.env.TENURE_ROOT,
		process.cwd(),
		path.dirname(fileURLToPath(import.meta.url))
	];
	for (const start of starts) {
		if (!start) continue;
		let dir = path.resolve(start);
		for (;;) {
			if (existsSync(path.join(dir, 'sql', 'migrations'))) return (cached = dir);
			const up = path.dirname(dir);
			if (up === dir) break;
			dir = up;
		}
	}
	throw new Error(
		'Cannot find the Tenure project folder (sql/migrations). Run from the project folder or set TENURE_ROOT.'
	);
}

export function sqlPath(...parts: string[]): string {
	return path.join(projectRoot(), 'sql', ...parts);
}
