/**
 * npm run bench:ltv — the LTV refresh at 1,000,000 accounts: the per-account purchase summary in
 * ClickHouse, the BG/NBD and Gamma-Gamma fits, scoring every account and writing account_ltv,
 * against the issue's target of 30 s for fit + scoring. Reuses the demo export set that
 * bench:ingest generates (data/bench/source-<accounts>), loads what LTV reads into a fresh data
 * directory, and runs each heavy step in its own process (bench/ltv-step.ts).
 *
 * Environment: TENURE_BENCH_DIR (default ./data/bench), BENCH_ACCOUNTS (default 1000000),
 * BENCH_HOLDOUT=0 to skip the holdout check.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { HoldoutReport } from '../analytics/ltv/holdout.ts';
import type { FitReport } from '../analytics/ltv/refresh.ts';
import { generate } from '../ingest/demo/generate.ts';

const root = path.resolve(process.env.TENURE_BENCH_DIR ?? 'data/bench');
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const src = path.join(root, `source-${accounts}`);
// The bench:ingest generator's end date: the data's last day is the as-of date.
const END = '2026-10-31';
const TARGET_SECONDS = 30;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sec = (msValue: number) => (msValue / 1000).toFixed(1);

function step<T>(
	dataDir: string,
	name: string,
	...args: string[]
): T & { seconds: number; maxRssMb: number } {
	const out = execFileSync(
		process.execPath,
		['bin/run.mjs', 'bench/ltv-step.ts', dataDir, name, ...args],
		{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 }
	);
	return JSON.parse(out.trim().split('\n').pop()!) as T & { seconds: number; maxRssMb: number };
}

function addMonths(day: string, months: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCMonth(d.getUTCMonth() + months);
	return d.toISOString().slice(0, 10);
}

async function main(): Promise<void> {
	mkdirSync(root, { recursive: true });
	console.log(`# LTV benchmark: ${fmt(accounts)} accounts, ${availableParallelism()} cores\n`);
	if (existsSync(path.join(src, 'generated.json'))) {
		console.log(`source: reusing ${src}`);
	} else {
		rmSync(src, { recursive: true, force: true });
		const gen = await generate({
			out: src,
			accounts,
			seed: 1,
			end: END,
			years: 3,
			usageWeeks: 13,
			shards: availableParallelism()
		});
		writeFileSync(path.join(src, 'generated.json'), JSON.stringify(gen));
		console.log(`source: generated in ${gen.seconds.toFixed(1)} s`);
	}

	const db = path.join(root, `ltv-db-${Date.now()}`);
	try {
		const load = step<{ loaded: Record<string, number> }>(db, 'load', src);
		console.log(
			`loaded in ${load.seconds.toFixed(0)} s: ${Object.entries(load.loaded)
				.map(([e, n]) => `${fmt(n)} ${e}`)
				.join(', ')}\n`
		);

		const refresh = step<{
			timings: Record<string, number>;
			accounts: { total: number; orders: number; subscriptions: number; predicted: number };
			fits: FitReport[];
			warnings: string[];
			distinctHistories: number;
		}>(db, 'refresh', END);
		const t = refresh.timings;
		const fitAndScore = (t.bgnbdFit ?? 0) + (t.gammaGammaFit ?? 0) + (t.scoring ?? 0);
		const [bgnbd, gammaGamma] = refresh.fits;
		const rows: [string, number][] = [
			['purchase summary SQL into a scratch table (incl. margin)', t.summarySql ?? 0],
			['reading x, t_x, T, m_x into JS', t.summaryRead ?? 0],
			['subscription MRR and churn SQL', t.contractualSql ?? 0],
			[
				`BG/NBD fit (${fmt(bgnbd?.n ?? 0)} accounts, ${fmt(refresh.distinctHistories)} distinct)`,
				t.bgnbdFit ?? 0
			],
			[`Gamma-Gamma fit (${fmt(gammaGamma?.n ?? 0)} accounts)`, t.gammaGammaFit ?? 0],
			[`scoring ${fmt(refresh.accounts.orders)} accounts`, t.scoring ?? 0],
			[`writing ${fmt(refresh.accounts.total)} account_ltv rows (INSERT … SELECT)`, t.write ?? 0]
		];
		console.log('| step (one process, as of the last day of data)            |       s |');
		console.log('|-------------------------------------------------------------|--------:|');
		for (const [name, value] of rows) {
			console.log(`| ${name.padEnd(59)} | ${sec(value).padStart(7)} |`);
		}
		console.log(
			`| **fit + scoring**                                           | ${sec(fitAndScore).padStart(7)} |`
		);
		console.log(
			`| whole refresh (process ${fmt(refresh.maxRssMb)} MB peak RSS)`.padEnd(62) +
				`| ${refresh.seconds.toFixed(1).padStart(7)} |`
		);
		console.log(
			`\nfit + scoring: ${sec(fitAndScore)} s (target < ${TARGET_SECONDS} s: ${fitAndScore / 1000 < TARGET_SECONDS ? 'met' : 'MISSED'})`
		);
		for (const f of refresh.fits) {
			console.log(
				`${f.model}: ${f.status}${Object.keys(f.params).length ? ' ' + JSON.stringify(Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, Number(v.toPrecision(4))]))) : ''}${f.logLikelihood !== null ? `, log-likelihood ${f.logLikelihood.toFixed(1)}` : ''}, n ${fmt(f.n)}`
			);
		}
		for (const w of refresh.warnings) console.log(`! ${w}`);

		const write = step<{
			rows: number;
			jsonBatchesMs: number;
			jsonFileMs: number;
			tsvFileMs: number;
		}>(db, 'write-paths', END);
		console.log(
			`\nthe same ${fmt(write.rows)} rows written again from JS objects: insertRows (JSON, 100k a batch) ${sec(write.jsonBatchesMs)} s, JSONEachRow file + INSERT … FROM file() ${sec(write.jsonFileMs)} s, insertTsv (TabSeparated file) ${sec(write.tsvFileMs)} s`
		);

		const reads = step<{ distributionMs: number; firstPageMs: number }>(db, 'datasets', END);
		console.log(
			`portal reads: distribution by segment ${sec(reads.distributionMs)} s, first page of accounts by predicted LTV ${sec(reads.firstPageMs)} s`
		);

		if (process.env.BENCH_HOLDOUT !== '0') {
			const calibrationEnd = addMonths(END, -6);
			const holdout = step<{ holdoutMs: number; report: HoldoutReport }>(
				db,
				'holdout',
				calibrationEnd
			);
			const r = holdout.report;
			console.log(
				`\nholdout check (fit to ${calibrationEnd}, ${r.holdoutWeeks.toFixed(1)} weeks): ${sec(holdout.holdoutMs)} s; repeat purchases predicted ${fmt(r.total.predicted)} vs actual ${fmt(r.total.actual)} (${r.total.errorPercent?.toFixed(1)} %)`
			);
			const { calibrationEnd: atCal, holdoutEnd: atEnd } = r.cumulative;
			console.log(
				`  tracking curve (${r.tracking.length} weeks): cumulative repeat purchases ${fmt(atCal.actual)} actual vs ${fmt(atCal.expected)} expected at ${atCal.day} (${atCal.errorPercent?.toFixed(1)} %), ${fmt(atEnd.actual)} vs ${fmt(atEnd.expected)} at ${atEnd.day} (${atEnd.errorPercent?.toFixed(1)} %)`
			);
			for (const b of r.buckets) {
				console.log(
					`  x = ${b.bucket.padEnd(3)} ${fmt(b.customers).padStart(9)} customers  predicted ${b.predicted.toFixed(2)}  actual ${b.actual.toFixed(2)}`
				);
			}
		}
	} finally {
		rmSync(db, { recursive: true, force: true });
	}
}

await main();
