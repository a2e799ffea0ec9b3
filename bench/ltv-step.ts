/**
 * One step of bench:ltv, run in its own process (as bench/ingest-step.ts) so that each step's peak
 * memory, the embedded engine included, is its own. Prints one JSON line.
 *
 * usage: node bin/run.mjs bench/ltv-step.ts <dataDir> <step> [args…]
 *   load <sourceDir>             accounts, products, orders, order lines, subscriptions
 *   refresh <asOf>               computeLtv, with its timings per step
 *   write-paths <asOf>           account_ltv rows written again: JSON batches, JSON file, TSV file
 *   datasets <asOf>              the portal's reads: distribution by segment, first page
 *   holdout <calibrationEnd>     the holdout check up to the last day with data
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { holdoutCheck } from '../analytics/ltv/holdout.ts';
import { computeLtv } from '../analytics/ltv/refresh.ts';
import { ltvByAccount, ltvDistribution } from '../analytics/ltv/datasets.ts';
import { loadFile } from '../ingest/load.ts';
import { readManifest } from '../ingest/manifest.ts';
import type { MappingFile } from '../ingest/mapping.ts';
import { sqlString } from '../ingest/source.ts';
import type { Db } from '../sql/client.ts';
import { loadConfig } from '../sql/config.ts';
import { openAndMigrate } from '../sql/open.ts';
import { command, insertRows, insertTsv, queryOne, queryRows, tsvField } from '../sql/query.ts';

const [dataDir, step, ...args] = process.argv.slice(2);
if (!dataDir || !step) throw new Error('usage: ltv-step.ts <dataDir> <step> [args…]');

const ENTITIES = ['accounts', 'products', 'orders', 'order_lines', 'subscriptions'];

async function count(db: Db, sql: string): Promise<number> {
	return Number((await queryOne<{ n: number }>(db, sql, {}, { tag: 'bench' }))?.n ?? 0);
}

const ms = (t0: number) => performance.now() - t0;

const steps: Record<string, (db: Db) => Promise<Record<string, unknown>>> = {
	async load(db) {
		const source = args[0]!;
		const manifest = readManifest(source);
		const loaded: Record<string, number> = {};
		for (const entity of ENTITIES) {
			for (const f of manifest.files.filter((m) => m.entity === entity)) {
				const mapping = f.mapping
					? (JSON.parse(readFileSync(path.join(source, f.mapping), 'utf8')) as MappingFile)
					: undefined;
				const r = await loadFile(db, {
					entity,
					file: path.join(source, f.file),
					mapping,
					mode: f.mode
				});
				if (r.status !== 'succeeded') throw new Error(`${entity} ← ${f.file}: ${r.error}`);
				loaded[entity] = (loaded[entity] ?? 0) + r.rowsRead;
			}
		}
		return { loaded };
	},

	async refresh(db) {
		const r = await computeLtv(db, { asOf: args[0] });
		const distinct = await queryOne<{ n: number }>(
			db,
			"SELECT uniqExact(x, t_x, T) AS n FROM account_ltv WHERE fit_id = {f:String} AND model = 'orders'",
			{ f: r.fitId },
			{ tag: 'bench' }
		);
		return {
			timings: r.timings,
			accounts: r.accounts,
			fits: r.fits,
			warnings: r.warnings,
			distinctHistories: Number(distinct?.n ?? 0)
		};
	},

	/** The same rows written three ways into a scratch copy of account_ltv. */
	async 'write-paths'(db) {
		const rows = await queryRows<Record<string, string | number | null>>(
			db,
			'SELECT * FROM account_ltv WHERE as_of = {d:Date}',
			{ d: args[0] },
			{ tag: 'bench' }
		);
		const columns = Object.keys(rows[0] ?? {});
		const chunks = Array.from({ length: Math.ceil(rows.length / 100_000) }, (_, i) =>
			rows.slice(i * 100_000, (i + 1) * 100_000)
		);
		await command(db, 'DROP TABLE IF EXISTS bench_ltv', {}, { tag: 'bench' });
		await command(db, 'CREATE TABLE bench_ltv AS account_ltv', {}, { tag: 'bench' });
		const reset = () => command(db, 'TRUNCATE TABLE bench_ltv', {}, { tag: 'bench' });

		let t0 = performance.now();
		for (const chunk of chunks) await insertRows(db, 'bench_ltv', chunk, 'bench');
		const jsonBatchesMs = ms(t0);
		await reset();

		const tmp = path.join(db.dataDir, 'tmp');
		mkdirSync(tmp, { recursive: true });
		const file = path.join(tmp, 'bench-ltv.jsonl');
		t0 = performance.now();
		for (const chunk of chunks) {
			appendFileSync(file, `${chunk.map((r) => JSON.stringify(r)).join('\n')}\n`);
		}
		await command(
			db,
			`INSERT INTO bench_ltv SELECT * FROM file(${sqlString(file)}, 'JSONEachRow')`,
			{},
			{ tag: 'bench' }
		);
		const jsonFileMs = ms(t0);
		rmSync(file, { force: true });
		await reset();

		t0 = performance.now();
		await insertTsv(
			db,
			'bench_ltv',
			columns,
			chunks.map((chunk) => chunk.map((r) => columns.map((c) => tsvField(r[c])).join('\t'))),
			'bench'
		);
		const tsvFileMs = ms(t0);
		const written = await count(db, 'SELECT count() AS n FROM bench_ltv');
		await command(db, 'DROP TABLE bench_ltv', {}, { tag: 'bench' });
		return { rows: rows.length, written, jsonBatchesMs, jsonFileMs, tsvFileMs };
	},

	async datasets(db) {
		let t0 = performance.now();
		const bySegment = await ltvDistribution(db, {
			asOf: args[0],
			scope: 'all',
			groupBy: 'segment'
		});
		const distributionMs = ms(t0);
		t0 = performance.now();
		const page = await ltvByAccount(db, { asOf: args[0], scope: 'all', limit: 50 });
		const firstPageMs = ms(t0);
		return { distributionMs, firstPageMs, groups: bySegment?.rows, top: page?.rows[0] };
	},

	async holdout(db) {
		const t0 = performance.now();
		const r = await holdoutCheck(db, { calibrationEnd: args[0]! });
		return { holdoutMs: ms(t0), report: r };
	}
};

const run = steps[step];
if (!run) throw new Error(`unknown step ${step}`);
const db = await openAndMigrate(loadConfig({ ...process.env, TENURE_DATA_DIR: dataDir }));
const t0 = performance.now();
const out = await run(db);
const seconds = (performance.now() - t0) / 1000;
await db.close();
process.stdout.write(
	`${JSON.stringify({ ...out, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`
);
