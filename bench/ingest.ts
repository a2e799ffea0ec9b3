/**
 * npm run bench:ingest — ingest throughput and memory at 1,000,000 accounts / ~20,000,000 order
 * lines, against the physical reference for this engine: a bare INSERT … SELECT * FROM file() of
 * the same files in the same chDB, in the same run. Every load runs in its own process
 * (bench/ingest-step.ts) so that its peak RSS, the embedded engine included, is its own.
 *
 * Environment: TENURE_BENCH_DIR (default ./data/bench), BENCH_ACCOUNTS (default 1000000),
 * BENCH_BIG_GB (size of the synthetic large file, default 2.2).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { generate } from '../ingest/demo/generate.ts';

const root = path.resolve(process.env.TENURE_BENCH_DIR ?? 'data/bench');
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const bigGb = Number(process.env.BENCH_BIG_GB ?? 2.2);
const src = path.join(root, `source-${accounts}`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface StepResult {
	rows: number;
	seconds: number;
	/** CPU time of the step's process, the engine's threads included: steadier than wall time. */
	cpuSeconds: number;
	maxRssMb: number;
	unchanged?: number;
}

function step(dataDir: string, name: string, ...args: string[]): StepResult {
	const out = execFileSync(
		process.execPath,
		['bin/run.mjs', 'bench/ingest-step.ts', dataDir, name, ...args],
		{
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
			maxBuffer: 1 << 20
		}
	);
	return JSON.parse(out.trim().split('\n').pop()!) as StepResult;
}

async function main(): Promise<void> {
	mkdirSync(root, { recursive: true });
	console.log(`# Ingest benchmark: ${fmt(accounts)} accounts, ${availableParallelism()} cores\n`);

	const marker = path.join(src, 'generated.json');
	let gen: { files: Record<string, number>; seconds: number };
	if (existsSync(marker)) {
		gen = JSON.parse(readFileSync(marker, 'utf8')) as typeof gen;
		console.log(`generator: reusing ${src}`);
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
		`generator: ${fmt(genRows)} rows (${fmt(gen.files.lines ?? 0)} order lines) in ${gen.seconds.toFixed(1)} s = ${fmt(genRows / gen.seconds)} rows/s (target: under 180 s)\n`
	);

	const manifest = JSON.parse(readFileSync(path.join(src, 'manifest.json'), 'utf8')) as {
		files: { file: string; entity: string; mapping?: string }[];
	};
	const filesOf = (entity: string) =>
		manifest.files.filter((f) => f.entity === entity).map((f) => path.join(src, f.file));
	const db = path.join(root, `db-${Date.now()}`);
	try {
		const acc = step(
			db,
			'tenure',
			'accounts',
			path.join(src, 'crm_accounts.mapping.json'),
			...filesOf('accounts')
		);
		const ord = step(db, 'tenure', 'orders', '-', ...filesOf('orders'));
		console.log(
			`prerequisites: ${fmt(acc.rows)} accounts in ${acc.seconds.toFixed(1)} s, ${fmt(ord.rows)} orders in ${ord.seconds.toFixed(1)} s`
		);

		const lines = filesOf('order_lines');
		const csvBytes = lines.reduce((s, f) => s + statSync(f).size, 0);
		const parquet = path.join(root, `order_lines-${accounts}.parquet`);
		const big = path.join(root, `orders-big-${bigGb}gb.csv`);
		step(db, 'to-parquet', parquet, ...lines);
		step(db, 'big-file', big, String(bigGb), String(accounts));

		const bareCsv = step(db, 'bare', 'CSVWithNames', ...lines);
		const oursCsv = step(db, 'tenure', 'order_lines', '-', ...lines);
		const bareParquet = step(db, 'bare', 'Parquet', parquet);
		step(db, 'truncate', 'order_lines');
		const oursParquet = step(db, 'tenure', 'order_lines', '-', parquet);
		const reload = step(db, 'tenure', 'order_lines', '-', parquet);
		const bigLoad = step(db, 'tenure', 'orders', '-', big);
		if (oursCsv.rows !== bareCsv.rows || oursParquet.rows !== bareParquet.rows) {
			throw new Error('tenure and the bare load read different row counts');
		}

		const row = (name: string, r: StepResult) =>
			`| ${name.padEnd(38)} | ${fmt(r.rows).padStart(12)} | ${r.seconds.toFixed(1).padStart(7)} | ${r.cpuSeconds.toFixed(1).padStart(7)} | ${fmt(r.rows / r.seconds).padStart(11)} | ${fmt(r.maxRssMb).padStart(8)} |`;
		console.log(
			`\norder lines: ${fmt(bareCsv.rows)} rows, CSV ${(csvBytes / 1e9).toFixed(2)} GB in ${lines.length} files, Parquet ${(statSync(parquet).size / 1e9).toFixed(2)} GB; big file ${(statSync(big).size / 1e9).toFixed(2)} GB\n`
		);
		console.log(
			'| load (own process each)                |         rows |       s |   CPU s |      rows/s | peak MB |'
		);
		console.log(
			'|----------------------------------------|-------------:|--------:|--------:|------------:|--------:|'
		);
		console.log(row('bare INSERT … FROM file(), CSV', bareCsv));
		console.log(row('tenure ingest, CSV', oursCsv));
		console.log(row('bare INSERT … FROM file(), Parquet', bareParquet));
		console.log(row('tenure ingest, Parquet', oursParquet));
		console.log(row(`tenure reload unchanged (${fmt(reload.unchanged ?? 0)} same)`, reload));
		console.log(
			row(`tenure ingest, ${(statSync(big).size / 1e9).toFixed(1)} GB orders CSV`, bigLoad)
		);
		// CPU seconds alongside: on a shared machine wall times swing far more than CPU times.
		console.log(
			`\nCSV: tenure rows/s ÷ bare rows/s = ${(bareCsv.seconds / oursCsv.seconds).toFixed(2)} (target ≥ 0.70); by CPU time ${(bareCsv.cpuSeconds / oursCsv.cpuSeconds).toFixed(2)}`
		);
		console.log(
			`Parquet: tenure rows/s ÷ bare rows/s = ${(bareParquet.seconds / oursParquet.seconds).toFixed(2)} (target ≥ 0.70); by CPU time ${(bareParquet.cpuSeconds / oursParquet.cpuSeconds).toFixed(2)}`
		);
		const peak = Math.max(
			oursCsv.maxRssMb,
			oursParquet.maxRssMb,
			reload.maxRssMb,
			bigLoad.maxRssMb
		);
		console.log(
			`peak RSS of a tenure load process (engine included): ${fmt(peak)} MB (target < 500)`
		);
	} finally {
		rmSync(db, { recursive: true, force: true });
	}
}

await main();
