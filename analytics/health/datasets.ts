/**
 * The health datasets of `tenure export`: per-account scores of the latest refresh of a date
 * (`health`) and the backtest (`health-backtest`).
 */
import { HEALTH_COMPONENTS } from '../config.ts';
import type { Dataset } from '../datasets.ts';
import { AnalyticsError } from '../errors.ts';
import { healthBacktest } from './backtest.ts';
import { healthScores } from './read.ts';

/** Rows per page read from the database. */
const PAGE = 50_000;

const HEALTH_COLUMNS = [
	'as_of',
	'account_id',
	'name',
	'segment',
	'owner_email',
	'score',
	'band',
	...HEALTH_COMPONENTS.map((c) => `${c}_score`),
	'missing'
] as const;

const BACKTEST_COLUMNS = [
	'as_of',
	'horizon_days',
	'band',
	'accounts',
	'churned',
	'precision',
	'recall',
	'lift',
	'auc'
] as const;

const HORIZONS = ['30', '60', '90', '180'] as const;

export const HEALTH_DATASETS: readonly Dataset[] = [
	{
		name: 'health',
		description:
			'Per-account health score of the latest refresh of a date: score 0–100, band, each component score (empty = no data, left out) and the missing components.',
		columns: HEALTH_COLUMNS,
		async *run(db, opts) {
			for (let offset = 0; ; offset += PAGE) {
				const page = await healthScores(db, {
					asOf: opts.asOf,
					filters: opts.filters,
					scope: opts.scope ?? 'all',
					sort: 'name',
					limit: PAGE,
					offset
				});
				yield page.rows.map((r) => ({
					as_of: page.refresh.asOf,
					account_id: r.accountId,
					name: r.name,
					segment: r.segment,
					owner_email: r.ownerEmail,
					score: r.score,
					band: r.band,
					...Object.fromEntries(HEALTH_COMPONENTS.map((c) => [`${c}_score`, r.components[c]])),
					missing: r.missing.join(',')
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	},
	{
		name: 'health-backtest',
		description:
			'How well the health score predicted churn: per past month-end (or the as-of date given) and band, accounts, churned within the horizon, precision, recall and lift; the band "all" row has the ROC AUC of 100 − score.',
		columns: BACKTEST_COLUMNS,
		options: {
			horizon: {
				description: 'Days after each as-of date in which a churn counts.',
				values: HORIZONS,
				fallback: '90'
			}
		},
		async *run(db, opts) {
			const horizon = opts.options?.horizon ?? '90';
			if (!(HORIZONS as readonly string[]).includes(horizon)) {
				throw new AnalyticsError(
					`health-backtest option horizon=${horizon}: use one of ${HORIZONS.join(', ')}.`
				);
			}
			const result = await healthBacktest(db, {
				asOfDates: opts.asOf ? [opts.asOf] : undefined,
				horizonDays: Number(horizon),
				filters: opts.filters,
				scope: opts.scope ?? 'all'
			});
			yield result.dates.flatMap((d) => [
				...d.bands.map((b) => ({
					as_of: d.asOf,
					horizon_days: result.horizonDays,
					band: b.band,
					accounts: b.accounts,
					churned: b.churned,
					precision: b.precision,
					recall: b.recall,
					lift: b.lift,
					auc: null
				})),
				{
					as_of: d.asOf,
					horizon_days: result.horizonDays,
					band: 'all',
					accounts: d.n,
					churned: d.churned,
					precision: d.n ? d.churned / d.n : null,
					recall: d.churned ? 1 : null,
					lift: d.n && d.churned ? 1 : null,
					auc: d.auc
				}
			]);
		}
	}
];
