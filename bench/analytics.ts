/**
 * npm run bench:analytics — the analytics at 1,000,000 accounts / ~20,000,000 orders / ~3,400,000
 * tickets / ~1,370,000 NPS responses on the embedded engine:
 * - `tenure refresh` (every step), against the 60 s: once computing everything from the
 *   core tables (the first refresh after a bulk load), and once the next day, after that day's
 *   orders were loaded, built on the first (the daily refresh; analytics/refresh/incremental.ts);
 * - the median latency of each interactive dataset function (cohort matrix, CRR trend, RFM, NPS
 *   trend, the KPI set, one account's drill-down, the worklist's first page), against 300 ms;
 * - the cohort matrix and RFM as the same SQL on DuckDB (@duckdb/node-api) over the same rows,
 *   in the same run, and the ratio.
 *
 * The source set is generated once (tenure generate --order-rate 2.4, seed 7) and loaded once
 * through the real ingest path into a data directory that later runs reuse.
 * Environment: TENURE_BENCH_DIR (default ./data/bench), BENCH_ACCOUNTS (default 1000000),
 * BENCH_RUNS (timed runs per function, default 9), BENCH_REFRESH=0 to time the reads of the last
 * refresh without refreshing again.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generate } from '../ingest/demo/generate.ts';
import { loadFolder } from '../ingest/manifest.ts';
import { loadConfig } from '../sql/config.ts';
import { openAndMigrate } from '../sql/open.ts';
import { command, queryRows } from '../sql/query.ts';
import type { Db } from '../sql/client.ts';
import { refreshAnalytics, withdrawRefreshesAfter } from '../analytics/refresh/run.ts';
import { loadFile } from '../ingest/load.ts';
import { writeNextDay } from './analytics-daily.ts';
import { requireRefresh } from '../analytics/refresh/state.ts';
import { BENCH_FUNCTIONS, DUCKDB_COMPARISONS } from './analytics-cases.ts';

const root = path.resolve(process.env.TENURE_BENCH_DIR ?? 'data/bench');
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 9);
const src = path.join(root, `analytics-src-${accounts}`);
const dataDir = path.join(root, `analytics-db-${accounts}`);
const END = '2026-11-20';
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeRuns(body: () => Promise<unknown>): Promise<{ median: number; min: number }> {
	await body(); // warm-up: caches, lazily loaded parts
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		await body();
		ms.push(performance.now() - t0);
	}
	return { median: median(ms), min: Math.min(...ms) };
}

async function prepare(): Promise<Db> {
	mkdirSync(root, { recursive: true });
	if (!existsSync(path.join(src, 'generated.json'))) {
		rmSync(src, { recursive: true, force: true });
		const gen = await generate({
			out: src,
			accounts,
			seed: 7,
			end: END,
			years: 3,
			orderRate: 2.4,
			shards: availableParallelism()
		});
		writeFileSync(path.join(src, 'generated.json'), JSON.stringify(gen));
		console.log(`source: generated in ${gen.seconds.toFixed(1)} s: ${JSON.stringify(gen.files)}`);
	} else {
		console.log(`source: reusing ${src}`);
	}
	const loaded = path.join(dataDir, 'loaded.json');
	if (!existsSync(loaded)) rmSync(dataDir, { recursive: true, force: true });
	const db = await openAndMigrate(loadConfig({ ...process.env, TENURE_DATA_DIR: dataDir }));
	if (!existsSync(loaded)) {
		const t0 = performance.now();
		const results = await loadFolder(db, src, { triggeredBy: 'bench' });
		const failed = results.filter((r) => r.status === 'failed');
		if (failed.length) throw new Error(`loading failed: ${failed.map((r) => r.error).join('; ')}`);
		writeFileSync(loaded, JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
		console.log(
			`loaded through the ingest path in ${((performance.now() - t0) / 1000).toFixed(0)} s`
		);
	} else {
		console.log(`database: reusing ${dataDir}`);
	}
	return db;
}

async function sizes(db: Db): Promise<string> {
	const tables = [
		'accounts',
		'orders',
		'order_lines',
		'tickets',
		'survey_responses',
		'usage_daily'
	];
	const out: string[] = [];
	for (const table of tables) {
		const [row] = await queryRows<{ n: number }>(
			db,
			`SELECT sum(rows) AS n FROM system.parts WHERE active AND database = currentDatabase() AND table = {t:String}`,
			{ t: table },
			{ tag: 'bench:size' }
		);
		out.push(`${fmt(Number(row?.n ?? 0))} ${table}`);
	}
	return out.join(', ');
}

/**
 * Two refreshes: everything computed from the core tables as of END (the first refresh after a
 * bulk load), then the daily one: the next day's orders loaded through the ingest path, and a
 * refresh as of that day built on END's (incremental.ts). Refreshes of later dates left by earlier
 * runs are withdrawn first, so each run replays the same day.
 */
async function refreshes(db: Db): Promise<void> {
	const log = (line: string) => console.log(line);
	const withdrawn = await withdrawRefreshesAfter(db, END);
	if (withdrawn.length) console.log(`withdrew ${withdrawn.length} refreshes after ${END}`);
	console.log(`## tenure refresh --full --as-of ${END}\n`);
	const full = await refreshAnalytics(db, { asOf: END, full: true, log });
	console.log(
		`\ntenure refresh --full as of ${full.asOf}: ${full.seconds.toFixed(1)} s (target < 60 s); process RSS ${fmt(process.memoryUsage().rss / 2 ** 20)} MB\n`
	);

	const next = new Date(Date.parse(`${END}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
	console.log(`## The next day (${next}): load its orders, then tenure refresh --as-of ${next}\n`);
	const files = await writeNextDay(db, path.join(root, `next-day-${accounts}`), { day: next });
	for (const [entity, file] of [
		['orders', files.orders],
		['order_lines', files.lines]
	] as const) {
		const r = await loadFile(db, { entity, file, triggeredBy: 'bench' });
		if (r.status !== 'succeeded') throw new Error(`loading ${file} failed: ${r.error}`);
		console.log(
			`ingest ${entity}: ${fmt(r.rowsRead)} rows (${fmt(r.rowsNew)} new, ${fmt(r.rowsUpdated)} updated) in ${(r.durationMs / 1000).toFixed(1)} s`
		);
	}
	const daily = await refreshAnalytics(db, { asOf: next, log });
	const base =
		daily.base.mode === 'incremental'
			? `facts copied from ${daily.base.from}; recomputed for ${fmt(daily.base.dirtyOrders)} accounts (orders), ${fmt(daily.base.dirtyPeriods.month ?? 0)} (month periods), ${fmt(daily.base.dirtyPeriods.week ?? 0)} (week periods) of ${fmt(daily.base.accounts)}`
			: `facts computed whole: ${daily.base.reason}`;
	console.log(
		`\ntenure refresh as of ${daily.asOf} (daily): ${daily.seconds.toFixed(1)} s (target < 60 s); ${base}; process RSS ${fmt(process.memoryUsage().rss / 2 ** 20)} MB\n`
	);
}

async function main(): Promise<void> {
	console.log(
		`# Analytics benchmark: ${fmt(accounts)} accounts, ${availableParallelism()} cores\n`
	);
	const db = await prepare();
	try {
		console.log(`rows: ${await sizes(db)}\n`);
		if (process.env.BENCH_REFRESH !== '0') await refreshes(db);
		const ref = await requireRefresh(db, END);

		console.log(`| function | median ms | min ms | < 300 ms |`);
		console.log(`|---|---:|---:|:-:|`);
		for (const f of BENCH_FUNCTIONS) {
			const t = await timeRuns(() => f.run(db, ref));
			console.log(
				`| ${f.name} | ${t.median.toFixed(0)} | ${t.min.toFixed(0)} | ${t.median < 300 ? 'yes' : 'NO'} |`
			);
		}

		console.log(`\n## Same SQL on DuckDB (same rows, exported as Parquet)\n`);
		const duck = await DuckDBInstance.create(':memory:');
		const conn = await duck.connect();
		const exportDir = path.join(root, `duckdb-export-${accounts}`);
		mkdirSync(exportDir, { recursive: true });
		console.log(`| query | ClickHouse (chDB) median ms | DuckDB median ms | chDB ÷ DuckDB |`);
		console.log(`|---|---:|---:|---:|`);
		for (const c of DUCKDB_COMPARISONS) {
			await c.prepare(db, ref, conn, exportDir);
			const ch = await timeRuns(() => c.clickhouse(db, ref));
			const dk = await timeRuns(() => c.duckdb(conn, ref));
			console.log(
				`| ${c.name} | ${ch.median.toFixed(0)} | ${dk.median.toFixed(0)} | ${(ch.median / dk.median).toFixed(2)} |`
			);
		}
		conn.closeSync();
		for (const table of ['bench_periods', 'bench_days']) {
			await command(db, `DROP TABLE IF EXISTS ${table}`, {}, { tag: 'bench:drop' });
		}
	} finally {
		await db.close();
	}
}

await main();
