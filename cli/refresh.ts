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
		.option(
			'--full',
			"compute every account's facts from the core tables instead of copying the unchanged ones from the previous refresh"
		)
		.option('--json', 'print the result as JSON')
		.action(async (opts: { asOf?: string; full?: boolean; json?: boolean }) => {
			await withDb(async (db) => {
				const log = opts.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
				const r = await refreshAnalytics(db, { asOf: opts.asOf, full: opts.full, log });
				if (opts.json) {
					process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
				} else {
					process.stdout.write(
						`refreshed as of ${r.asOf} in ${r.currency} (refresh ${r.refreshId}) in ${r.seconds.toFixed(1)} s; ${
							r.base.mode === 'incremental'
								? `facts copied from ${r.base.from} except for ${r.base.dirtyOrders} of ${r.base.accounts} accounts`
								: `facts computed whole (${r.base.reason})`
						}\n`
					);
				}
			});
		});
}
