import type { Command } from 'commander';
import { getModel, listModels, promoteModel } from '../models/registry.ts';
import { scoreChurn, trainChurn, type TrainReport } from '../models/pipeline.ts';
import { withDb } from './context.ts';
import { isoDate, positiveInt } from './options.ts';

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
const f3 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));

function printTrain(r: TrainReport): void {
	const out = [
		`model ${r.version}: ${r.kind}${r.calibrated ? ' (Platt-calibrated)' : ''} on ${r.backend}, ${r.dates.length} snapshots (${r.dates[0]?.asOf} … ${r.dates.at(-1)?.asOf}), ${r.rows.train.toLocaleString('en-US')} training rows, ${r.seconds.toFixed(1)} s`,
		`test (${r.rows.test.toLocaleString('en-US')} accounts): ROC AUC ${f3(r.test.rocAuc)}, PR AUC ${f3(r.test.prAuc)}, Brier ${f3(r.test.brier)}, top 10 %: precision ${pct(r.test.top10.precision)} lift ${f3(r.test.top10.lift)}, top 20 %: precision ${pct(r.test.top20.precision)} lift ${f3(r.test.top20.lift)}`,
		`baseline (logistic) test ROC AUC ${f3(r.baselineTest.rocAuc)}; health score ROC AUC on the same snapshot ${f3(r.healthAuc)}`,
		r.decision
	];
	process.stdout.write(`${out.join('\n')}\n`);
}

export function registerModelCommands(program: Command): void {
	program
		.command('train')
		.description(
			'Train the churn model on point-in-time snapshots, evaluate it and promote it if it beats the current one.'
		)
		.option('--seed <n>', 'random seed (same data and seed, same model)', positiveInt, 42)
		.option('--json', 'print the report as JSON')
		.action(async (opts: { seed: number; json?: boolean }) => {
			await withDb(async (db) => {
				const log = opts.json ? undefined : (l: string) => process.stderr.write(`${l}\n`);
				const r = await trainChurn(db, { seed: opts.seed, log });
				if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
				else printTrain(r);
			});
		});

	program
		.command('score')
		.description(
			'Score every active account with the current churn model (probability + top 3 drivers).'
		)
		.option('--as-of <date>', 'features as of this day (default: the latest refresh)', isoDate)
		.option('--json', 'print the report as JSON')
		.action(async (opts: { asOf?: string; json?: boolean }) => {
			await withDb(async (db) => {
				const log = opts.json ? undefined : (l: string) => process.stderr.write(`${l}\n`);
				const r = await scoreChurn(db, { asOf: opts.asOf, log });
				if (opts.json) {
					process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
				} else {
					const large = r.drift.filter((d) => d.flag === 'large').map((d) => d.feature);
					process.stdout.write(
						`scored ${r.accounts.toLocaleString('en-US')} accounts as of ${r.asOf} with ${r.version} in ${r.seconds.toFixed(1)} s (${Math.round(r.accounts / r.seconds).toLocaleString('en-US')}/s); ${large.length ? `large drift since training: ${large.join(', ')}` : 'no large drift since training'}\n`
					);
				}
			});
		});

	const model = program.command('model').description('The churn model registry.');
	model
		.command('list')
		.description('Every trained model, newest first.')
		.action(async () => {
			await withDb(async (db) => {
				for (const m of await listModels(db)) {
					process.stdout.write(
						`${m.version}  ${m.status.padEnd(8)} ${m.kind.padEnd(8)} test AUC ${f3(m.metrics.auc ?? null)}  health AUC ${f3(m.healthAuc)}  trained ${m.createdAt}\n`
					);
				}
			});
		});
	model
		.command('show')
		.description('One model: metrics, window, features.')
		.argument('<version>')
		.action(async (version: string) => {
			await withDb(async (db) => {
				process.stdout.write(`${JSON.stringify(await getModel(db, version), null, 2)}\n`);
			});
		});
	model
		.command('promote')
		.description('Make a model the current one (the one tenure score uses).')
		.argument('<version>')
		.action(async (version: string) => {
			await withDb(async (db) => {
				await promoteModel(db, version, 'promoted by hand (tenure model promote)');
				process.stdout.write(`${version} is now the current churn model\n`);
			});
		});
}
