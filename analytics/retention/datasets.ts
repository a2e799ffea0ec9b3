/**
 * Retention datasets for `tenure export` and the portal: the cohort matrix, the CRR trend, and
 * NRR/GRR as two datasets — `nrr-grr` (one row as of the refresh date, trailing windows) and
 * `nrr-grr-trend` (one row per month end, calendar-month windows) — because the two use different
 * windows and a mixed table would invite comparing them row by row.
 */
import type { Dataset, DatasetOptions } from '../datasets.ts';
import { cohortRetention } from './cohorts.ts';
import { crrTrend } from './crr.ts';
import { nrrGrr, nrrGrrTrend, type NrrGrr } from './nrr.ts';
import { checkGrain, COHORT_GRAINS, CRR_GRAINS } from './periods.ts';

const read = (opts: DatasetOptions) => ({
	asOf: opts.asOf,
	filters: opts.filters,
	scope: opts.scope ?? 'all'
});

const nrrColumns = (r: NrrGrr) => ({
	base_accounts: r.baseAccounts,
	base_revenue: r.baseRevenue,
	current_revenue: r.currentRevenue,
	capped_revenue: r.cappedRevenue,
	nrr: r.nrr,
	grr: r.grr,
	churned: r.churned,
	contracted: r.contracted,
	expanded: r.expanded,
	flat: r.flat
});
const NRR_COLUMNS = [
	'base_accounts',
	'base_revenue',
	'current_revenue',
	'capped_revenue',
	'nrr',
	'grr',
	'churned',
	'contracted',
	'expanded',
	'flat'
] as const;

export const RETENTION_DATASETS: readonly Dataset[] = [
	{
		name: 'cohort-retention',
		description:
			'Cohort matrix: per cohort (first activity) and period index, active accounts, logo and revenue retention; future cells absent, the as-of period partial',
		columns: [
			'cohort',
			'period_index',
			'cohort_size',
			'active_accounts',
			'logo_retention',
			'revenue',
			'revenue_retention',
			'partial'
		],
		options: {
			grain: {
				description: 'cohort and period length',
				values: COHORT_GRAINS,
				fallback: 'month'
			}
		},
		async *run(db, opts) {
			const grain = checkGrain(opts.options?.grain ?? 'month', COHORT_GRAINS);
			const cells = await cohortRetention(db, { ...read(opts), grain });
			yield cells.map((c) => ({
				cohort: c.cohort,
				period_index: c.periodIndex,
				cohort_size: c.cohortSize,
				active_accounts: c.activeAccounts,
				logo_retention: c.logoRetention,
				revenue: c.revenue,
				revenue_retention: c.revenueRetention,
				partial: c.partial
			}));
		}
	},
	{
		name: 'crr',
		description:
			'Customer retention rate (E − N) / S and churn rate per period, ending with the (partial) as-of period',
		columns: ['period', 's', 'e', 'n', 'crr', 'churned', 'churn_rate', 'partial'],
		options: {
			grain: { description: 'period length', values: CRR_GRAINS, fallback: 'month' }
		},
		async *run(db, opts) {
			const grain = checkGrain(opts.options?.grain ?? 'month', CRR_GRAINS);
			const points = await crrTrend(db, { ...read(opts), grain });
			yield points.map((p) => ({
				period: p.period,
				s: p.s,
				e: p.e,
				n: p.n,
				crr: p.crr,
				churned: p.churned,
				churn_rate: p.churnRate,
				partial: p.partial
			}));
		}
	},
	{
		name: 'nrr-grr',
		description:
			'Net and gross revenue retention as of the refresh date: trailing 12 months vs the 12 before',
		columns: ['as_of', ...NRR_COLUMNS],
		async *run(db, opts) {
			const r = await nrrGrr(db, read(opts));
			yield [{ as_of: r.asOf, ...nrrColumns(r) }];
		}
	},
	{
		name: 'nrr-grr-trend',
		description:
			'Net and gross revenue retention by month end over calendar-month windows (the as-of month to date)',
		columns: ['month', 'partial', ...NRR_COLUMNS],
		async *run(db, opts) {
			const months = await nrrGrrTrend(db, read(opts));
			yield months.map((m) => ({ month: m.month, partial: m.partial, ...nrrColumns(m) }));
		}
	}
];
