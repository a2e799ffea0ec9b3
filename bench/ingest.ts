/**
 * npm run bench:ingest — ingest throughput and memory at 1,000,000 accounts / ~20,000,000 order
 * lines, against the physical reference for this engine: a bare INSERT … SELECT * FROM file() of
 * the same file in the same chDB, in the same run.
 *
 * Environment: TENURE_BENCH_DIR (default ./data/bench), BENCH_ACCOUNTS (default 1000000),
 * BENCH_BIG_GB (size of the synthetic large file, default 2.2).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { generate } from '../ingest/demo/generate.ts';
import { loadFile, type LoadResult } from '../ingest/load.ts';
import { loadConfig } from '../sql/config.ts';
import { command, queryOne } from '../sql/query.ts';
import { openAndMigrate } from '../sql/open.ts';
import type { Db } from '../sql/client.ts';
import { sqlString } from '../ingest/source.ts';
import { BOUNDED_MEMORY } from '../sql/settings.ts';

const root = path.resolve(process.env.TENURE_BENCH_DIR ?? 'data/bench');
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const bigGb = Number(process.env.BENCH_BIG_GB ?? 2.2);
const src = path.join(root, `source-${accounts}`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Samples this process's RSS (the embedded engine included) while a step runs. */
async function measured<T>(
	label: string,
	body: () => Promise<T>
): Promise<{ value: T; seconds: number; peakMb: number }> {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 50);
	const t0 = performance.now();
	try {
		const value = await body();
		return { value, seconds: (performance.now() - t0) / 1000, peakMb: peak / 1e6 };
	} finally {
		clearInterval(timer);
		peak = Math.max(peak, process.memoryUsage().rss);
		process.stdout.write(`  ${label}: done\n`);
	}
}

function expectOk(r: LoadResult): LoadResult {
	if (r.status !== 'succeeded') throw new Error(`${r.entity} load failed: ${r.error}`);
	return r;
}

async function count(db: Db, table: string): Promise<number> {
	const r = await queryOne<{ n: number }>(
		db,
		`SELECT count() AS n FROM ${table}`,
		{},
		{ tag: 'bench' }
	);
	return Number(r?.n ?? 0);
}

async function main(): Promise<void> {
	mkdirSync(root, { recursive: true });
	console.log(`# Ingest benchmark: ${fmt(accounts)} accounts, ${availableParallelism()} cores\n`);

	// 1. The data set, made by the demo generator (reused when already there).
	const marker = path.join(src, 'generated.json');
	let gen: { files: Record<string, number>; seconds: number };
	if (existsSync(marker)) {
		gen = JSON.parse(readFileSync(marker, 'utf8')) as typeof gen;
		console.log(`generator: reusing ${src} (made in ${gen.seconds.toFixed(1)} s)`);
	} else {
		rmSync(src, { recursive: true, force: true });
		gen = await generate({
			out: src,
			accounts,
			seed: 1,
			end: '2026-10-31',
			years: 3,
			usageWeeks: 13,
			shards: availableParallelism()
		});
		writeFileSync(marker, JSON.stringify(gen));
	}
	const genRows = Object.values(gen.files).reduce((a, b) => a + b, 0);
	console.log(
		`generator: ${fmt(genRows)} rows (${fmt(gen.files.lines ?? 0)} order lines) in ${gen.seconds.toFixed(1)} s = ${fmt(genRows / gen.seconds)} rows/s (target < 180 s)\n`
	);

	const dbDir = path.join(root, `db-${Date.now()}`);
	const db = await openAndMigrate(loadConfig({ ...process.env, TENURE_DATA_DIR: dbDir }));
	try {
		const manifest = JSON.parse(readFileSync(path.join(src, 'manifest.json'), 'utf8')) as {
			files: { file: string; entity: string; mapping?: string }[];
		};
		const filesOf = (entity: string) =>
			manifest.files.filter((f) => f.entity === entity).map((f) => path.join(src, f.file));
		// Prerequisites so order lines' references resolve.
		for (const entity of ['accounts', 'orders']) {
			for (const file of filesOf(entity)) {
				const m = manifest.files.find((f) => path.join(src, f.file) === file)?.mapping;
				const mapping = m
					? (JSON.parse(readFileSync(path.join(src, m), 'utf8')) as never)
					: undefined;
				const r = expectOk(await loadFile(db, { entity, file, mapping }));
				console.log(
					`prerequisite ${entity}: ${fmt(r.rowsRead)} rows in ${(r.durationMs / 1000).toFixed(1)} s`
				);
			}
		}
		const lineFiles = filesOf('order_lines');
		const csvBytes = lineFiles.reduce((s, f) => s + statSync(f).size, 0);

		// 2. Bare reference: the engine parsing the same CSV files into an order_lines-shaped table.
		await command(db, 'CREATE TABLE bare_lines AS order_lines', {}, { tag: 'bench' });
		const bareCsv = await measured('bare CSV', async () => {
			for (const f of lineFiles) {
				await command(
					db,
					`INSERT INTO bare_lines (order_id, line_no, sku, quantity, unit_price, net_amount) SELECT * FROM file(${sqlString(f)}, 'CSVWithNames')`,
					{},
					{ tag: 'bench', settings: BOUNDED_MEMORY }
				);
			}
		});
		const lines = await count(db, 'bare_lines');

		// 3. The same files through tenure's ingest path (validation, rejects, checks, commit).
		const oursCsv = await measured('tenure CSV', async () => {
			let read = 0;
			for (const f of lineFiles) {
				read += expectOk(await loadFile(db, { entity: 'order_lines', file: f })).rowsRead;
			}
			return read;
		});
		if (oursCsv.value !== lines) {
			throw new Error(`tenure read ${oursCsv.value} rows, bare ${lines}`);
		}

		// 4. Parquet: the same lines converted once by the engine, loaded both ways.
		const parquet = path.join(root, `order_lines-${accounts}.parquet`);
		if (!existsSync(parquet)) {
			await command(
				db,
				`INSERT INTO FUNCTION file(${sqlString(parquet)}, 'Parquet') SELECT order_id, line_no, sku, quantity, unit_price, net_amount FROM bare_lines`,
				{},
				{ tag: 'bench' }
			);
		}
		await command(db, 'TRUNCATE TABLE bare_lines', {}, { tag: 'bench' });
		const bareParquet = await measured('bare Parquet', () =>
			command(
				db,
				`INSERT INTO bare_lines (order_id, line_no, sku, quantity, unit_price, net_amount) SELECT * FROM file(${sqlString(parquet)}, 'Parquet')`,
				{},
				{ tag: 'bench', settings: BOUNDED_MEMORY }
			)
		);
		await command(db, 'TRUNCATE TABLE order_lines', {}, { tag: 'bench' });
		const oursParquet = await measured(
			'tenure Parquet',
			async () =>
				expectOk(await loadFile(db, { entity: 'order_lines', file: parquet, format: 'parquet' }))
					.rowsRead
		);

		// 5. Reload of an unchanged file: the idempotent path (nothing written).
		const reload = await measured('reload unchanged', async () =>
			expectOk(await loadFile(db, { entity: 'order_lines', file: parquet, format: 'parquet' }))
		);

		// 6. A file over 2 GB: memory must stay bounded whatever the size.
		const big = path.join(root, `orders-big-${bigGb}gb.csv`);
		if (!existsSync(big)) {
			const rows = Math.round((bigGb * 1e9) / 75);
			await command(
				db,
				`INSERT INTO FUNCTION file(${sqlString(big)}, 'CSVWithNames')
SELECT concat('BIG', leftPad(toString(number), 10, '0')) AS order_id, concat('A', leftPad(toString(1 + number % ${accounts}), 7, '0')) AS account_id,
       toString(toDateTime('2024-01-01 00:00:00') + number % 60000000) AS ordered_at, 'completed' AS status, 'CNY' AS currency,
       toString(round(100 + (number % 100000) / 7, 2)) AS net_amount, 'direct' AS channel
FROM numbers(${rows}) SETTINGS engine_file_truncate_on_insert = 1`,
				{},
				{ tag: 'bench' }
			);
		}
		const bigBytes = statSync(big).size;
		const bigLoad = await measured('tenure 2 GB CSV', async () =>
			expectOk(await loadFile(db, { entity: 'orders', file: big }))
		);

		const row = (name: string, rows: number, m: { seconds: number; peakMb: number }) =>
			`| ${name.padEnd(34)} | ${fmt(rows).padStart(12)} | ${m.seconds.toFixed(1).padStart(7)} | ${fmt(rows / m.seconds).padStart(11)} | ${fmt(m.peakMb).padStart(8)} |`;
		console.log(
			`\norder lines: ${fmt(lines)} rows, CSV ${(csvBytes / 1e9).toFixed(2)} GB in ${lineFiles.length} files, Parquet ${(statSync(parquet).size / 1e9).toFixed(2)} GB\n`
		);
		console.log(
			'| load                               |         rows |       s |      rows/s |  peak MB |'
		);
		console.log(
			'|------------------------------------|-------------:|--------:|------------:|---------:|'
		);
		console.log(row('bare INSERT … FROM file() CSV', lines, bareCsv));
		console.log(row('tenure ingest CSV', lines, oursCsv));
		console.log(row('bare INSERT … FROM file() Parquet', lines, bareParquet));
		console.log(row('tenure ingest Parquet', lines, oursParquet));
		console.log(row('tenure reload unchanged (Parquet)', lines, reload));
		console.log(
			row(
				`tenure ingest ${(bigBytes / 1e9).toFixed(1)} GB orders CSV`,
				bigLoad.value.rowsRead,
				bigLoad
			)
		);
		console.log(
			`\nCSV: tenure / bare = ${(bareCsv.seconds / oursCsv.seconds).toFixed(2)} (target ≥ 0.70)`
		);
		console.log(
			`Parquet: tenure / bare = ${(bareParquet.seconds / oursParquet.seconds).toFixed(2)} (target ≥ 0.70)`
		);
		const peak = Math.max(oursCsv.peakMb, oursParquet.peakMb, bigLoad.peakMb, reload.peakMb);
		console.log(
			`peak RSS of this Node process (engine included) during tenure loads: ${fmt(peak)} MB (target < 500)`
		);
	} finally {
		await db.close();
		rmSync(dbDir, { recursive: true, force: true });
	}
}

await main();
