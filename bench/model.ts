/**
 * npm run bench:model — the churn model at scale on bench:analytics' data directory (1M accounts):
 * training on point-in-time snapshots (BENCH_MODEL_DATES month-ends: the oldest are trained on,
 * then one validation and one test snapshot), then scoring every active account with drivers,
 * against the issue's targets (training on ≥ 1M snapshot rows < 5 min, scoring 1M < 60 s), and
 * the model's test AUC next to the health score's on the same accounts.
 * Run npm run bench:analytics once first (it generates and loads the data).
 * Environment: TENURE_BENCH_DIR (default ./data/bench), BENCH_ACCOUNTS (default 1000000),
 * BENCH_MODEL_DATES (default 2026-04-30,2026-05-31,2026-06-30,2026-07-31).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../sql/config.ts';
import { openAndMigrate } from '../sql/open.ts';
import { refreshAnalytics } from '../analytics/refresh/run.ts';
import { findRefresh } from '../analytics/refresh/state.ts';
import { scoreChurn, trainChurn } from '../models/pipeline.ts';

const root = path.resolve(process.env.TENURE_BENCH_DIR ?? 'data/bench');
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const dataDir = path.join(root, `analytics-db-${accounts}`);
const dates = (process.env.BENCH_MODEL_DATES ?? '2026-04-30,2026-05-31,2026-06-30,2026-07-31')
	.split(',')
	.map((d) => d.trim());
const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20).toLocaleString('en-US');

async function main(): Promise<void> {
	if (!existsSync(path.join(dataDir, 'loaded.json'))) {
		throw new Error(`No benchmark data in ${dataDir}: run npm run bench:analytics first.`);
	}
	console.log(`# Churn model benchmark: ${accounts.toLocaleString('en-US')} accounts\n`);
	const db = await openAndMigrate(loadConfig({ ...process.env, TENURE_DATA_DIR: dataDir }));
	try {
		// The backtest of the health score (the comparison) needs a refresh.
		if (!(await findRefresh(db))) await refreshAnalytics(db, { asOf: '2026-11-20' });
		const train = await trainChurn(db, {
			asOfDates: dates,
			seed: 42,
			log: (l) => console.log(l)
		});
		console.log(
			`\ntraining: ${train.rows.train.toLocaleString('en-US')} training + ${train.rows.validation.toLocaleString('en-US')} validation rows, ${train.seconds.toFixed(1)} s (target < 300 s on ≥ 1M snapshot rows); RSS ${mb()} MB`
		);
		console.log(
			`test AUC ${train.test.rocAuc?.toFixed(3)} (${train.kind}; logistic baseline ${train.baselineTest.rocAuc?.toFixed(3)}) vs health score AUC ${train.healthAuc?.toFixed(3)} on the same ${train.rows.test.toLocaleString('en-US')} accounts`
		);
		const score = await scoreChurn(db, { asOf: '2026-11-20', log: (l) => console.log(l) });
		console.log(
			`scoring: ${score.accounts.toLocaleString('en-US')} accounts in ${score.seconds.toFixed(1)} s = ${Math.round(score.accounts / score.seconds).toLocaleString('en-US')} accounts/s (target: 1M < 60 s); RSS ${mb()} MB`
		);
	} finally {
		await db.close();
	}
}

await main();
