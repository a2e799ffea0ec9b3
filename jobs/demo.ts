import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../sql/client.ts';
import { queryOne } from '../sql/query.ts';
import { generate } from '../ingest/demo/generate.ts';
import type { LoadProgress, LoadResult } from '../ingest/load.ts';
import { loadFolder } from '../ingest/manifest.ts';

export interface DemoOptions {
	accounts: number;
	seed: number;
	/** Last day of the demo history; defaults to yesterday. */
	end?: string;
	log?: (line: string) => void;
	onFile?: (file: string, entity: string) => ((p: LoadProgress) => void) | undefined;
	triggeredBy?: string;
}

export function yesterday(): string {
	return new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The demo: generate a realistic export set under the data directory, then load it through the
 * real ingest path (the same loadFolder a user's `tenure ingest --dir` runs).
 */
export async function runDemo(db: Db, opts: DemoOptions): Promise<LoadResult[]> {
	const log = opts.log ?? (() => undefined);
	const out = path.join(db.dataDir, 'demo-source');
	if (existsSync(out)) rmSync(out, { recursive: true, force: true });
	const end = opts.end ?? yesterday();
	log(
		`Generating demo exports for ${opts.accounts.toLocaleString('en-US')} accounts (seed ${opts.seed}, history to ${end}) in ${out}`
	);
	const gen = await generate({ out, accounts: opts.accounts, seed: opts.seed, end, years: 3 });
	log(`Generated in ${gen.seconds.toFixed(1)} s; loading through the ingest path`);
	return loadFolder(db, out, { triggeredBy: opts.triggeredBy ?? 'demo', onFile: opts.onFile });
}

/** True when no source data has been loaded yet (the portal then loads the demo on first start). */
export async function isEmpty(db: Db): Promise<boolean> {
	const row = await queryOne<{ n: number }>(
		db,
		"SELECT count() AS n FROM ingest_runs WHERE status = 'succeeded'",
		{},
		{ tag: 'demo:empty' }
	);
	return Number(row?.n ?? 0) === 0;
}
