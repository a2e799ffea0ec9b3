import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { generate } from '../ingest/demo/generate.ts';
import { runDemo, yesterday } from '../jobs/demo.ts';
import { deriveAll } from '../jobs/derive.ts';
import { withDb } from './context.ts';
import { summaryLine } from './format.ts';
import { fileProgress } from './progress.ts';
import { isoDate, positiveInt, positiveNumber } from './options.ts';

export function registerDemoCommands(program: Command): void {
	program
		.command('generate')
		.description(
			'Write a realistic demo export set (CRM, ERP, tickets, NPS, usage) plus manifest.json and truth.csv.'
		)
		.requiredOption('--out <dir>', 'folder to write to')
		.option('--accounts <n>', 'number of accounts', positiveInt, 5000)
		.option('--seed <n>', 'random seed (same seed and end date, same files)', positiveInt, 42)
		.option('--end <date>', 'last day of history, YYYY-MM-DD', isoDate, yesterday())
		.option('--years <n>', 'years of history', positiveInt, 3)
		.option('--usage-weeks <n>', 'weeks of product usage to write', positiveInt, 104)
		.option(
			'--order-rate <x>',
			"multiply every account's order rate (e.g. 2.4 for ~20 orders per account over 3 years)",
			positiveNumber,
			1
		)
		.option(
			'--shards <n>',
			'processes to generate with (default: all cores for 50,000+ accounts)',
			positiveInt
		)
		.action(
			async (opts: {
				out: string;
				accounts: number;
				seed: number;
				end: string;
				years: number;
				usageWeeks: number;
				orderRate: number;
				shards?: number;
			}) => {
				opts.shards ??= opts.accounts >= 50_000 ? availableParallelism() : 1;
				const bar = fileProgress('generating', process.stderr.isTTY);
				const r = await generate({
					...opts,
					onProgress: (done, total) =>
						bar.update({ phase: 'reading', rows: done, totalRows: total })
				});
				bar.stop();
				const lines = Object.values(r.files).reduce((a, b) => a + b, 0);
				process.stdout.write(
					`${JSON.stringify(r.files)}\nwrote ${lines.toLocaleString('en-US')} rows in ${r.seconds.toFixed(1)} s (${Math.round(lines / r.seconds).toLocaleString('en-US')} rows/s) to ${opts.out}\n`
				);
			}
		);

	program
		.command('demo')
		.description('Generate the demo data set and load it through the real ingest path.')
		.option('--accounts <n>', 'number of accounts', positiveInt, 5000)
		.option('--seed <n>', 'random seed', positiveInt, 42)
		.option('--end <date>', 'last day of history, YYYY-MM-DD', isoDate)
		.action(async (opts: { accounts: number; seed: number; end?: string }) => {
			await withDb(async (db) => {
				let bar: ReturnType<typeof fileProgress> | null = null;
				const results = await runDemo(db, {
					...opts,
					log: (l) => process.stderr.write(`${l}\n`),
					onFile: (file) => {
						bar?.stop();
						bar = fileProgress(file.split('/').pop() ?? file, true);
						return bar.update;
					}
				});
				(bar as ReturnType<typeof fileProgress> | null)?.stop();
				for (const r of results) process.stdout.write(`${summaryLine(r)}\n`);
				if (results.some((r) => r.status === 'failed')) {
					process.exitCode = 1;
					return;
				}
				await deriveAll(db, { log: (l) => process.stderr.write(`${l}\n`) });
			});
		});
}
