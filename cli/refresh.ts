import type { Command } from 'commander';
import { refreshAnalytics } from '../analytics/refresh/run.ts';
import { withDb } from './context.ts';
import { isoDate } from './options.ts';

export function registerRefreshCommands(program: Command): void {
	program
		.command('refresh')
		.description(
			'Recompute the derived tables (snapshots, cohorts, segments, health, alerts, cross-sell) as of a date.'
		)
		.option(
			'--as-of <date>',
			'use data through this day (default: the last day with data)',
			isoDate
		)
		.option('--json', 'print the result as JSON')
		.action(async (opts: { asOf?: string; json?: boolean }) => {
			await withDb(async (db) => {
				const log = opts.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
				const r = await refreshAnalytics(db, { asOf: opts.asOf, log });
				if (opts.json) {
					process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
				} else {
					process.stdout.write(
						`refreshed as of ${r.asOf} in ${r.currency} (refresh ${r.refreshId}) in ${r.seconds.toFixed(1)} s\n`
					);
				}
			});
		});
}
