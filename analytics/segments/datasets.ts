/**
 * The segment datasets of `tenure export` (and the portal's downloads): rfm, tiers, lifecycle and
 * pareto, read through the same functions as the portal. Account lists are read in pages of
 * 100,000 by account id (keyset paging). Money columns are decimal strings.
 */
import type { Db } from '../../sql/client.ts';
import type { Dataset, DatasetOptions } from '../datasets.ts';
import { AnalyticsError } from '../errors.ts';
import { lifecycleAccounts } from './lifecycle.ts';
import { paretoCurve } from './pareto.ts';
import { MAX_PAGE } from './read-options.ts';
import { rfmAccounts } from './rfm.ts';
import { tierAccounts } from './tiers.ts';

/** Pages of one account list, in account id order, until a short page. */
async function* pages<T extends { accountId: string }>(
	read: (after: string) => Promise<{ rows: T[] }>,
	toRow: (row: T) => Record<string, unknown>
): AsyncIterable<Record<string, unknown>[]> {
	let after = '';
	for (;;) {
		const { rows } = await read(after);
		if (rows.length) yield rows.map(toRow);
		if (rows.length < MAX_PAGE) return;
		after = rows[rows.length - 1]!.accountId;
	}
}

const common = (opts: DatasetOptions) => ({
	asOf: opts.asOf,
	filters: opts.filters,
	scope: opts.scope ?? 'all',
	sort: 'account_id' as const,
	limit: MAX_PAGE
});

const PARETO_POINTS = ['10', '20', '50', '100', '1000'] as const;

export const SEGMENT_DATASETS: readonly Dataset[] = [
	{
		name: 'rfm',
		description:
			'Per account with a counted order in the RFM lookback: recency (days), frequency, monetary, R/F/M scores 1–5 and the RFM segment key.',
		columns: [
			'account_id',
			'name',
			'recency_days',
			'frequency',
			'monetary',
			'r_score',
			'f_score',
			'm_score',
			'segment'
		],
		run: (db: Db, opts: DatasetOptions) =>
			pages(
				(after) => rfmAccounts(db, { ...common(opts), after }),
				(r) => ({
					account_id: r.accountId,
					name: r.name,
					recency_days: r.recencyDays,
					frequency: r.frequency,
					monetary: r.monetary,
					r_score: r.rScore,
					f_score: r.fScore,
					m_score: r.mScore,
					segment: r.rfmSegment
				})
			)
	},
	{
		name: 'tiers',
		description:
			'Per account: trailing-12-month revenue, repurchase rate (share of the last 4 quarters with an order) and tier A/B/C.',
		columns: ['account_id', 'name', 'revenue_12m', 'repurchase_rate', 'tier'],
		run: (db: Db, opts: DatasetOptions) =>
			pages(
				(after) => tierAccounts(db, { ...common(opts), after }),
				(r) => ({
					account_id: r.accountId,
					name: r.name,
					revenue_12m: r.revenue12m,
					repurchase_rate: r.repurchaseRate,
					tier: r.tier
				})
			)
	},
	{
		name: 'lifecycle',
		description:
			'Per account: lifecycle stage (potential, growth, mature, decline, churned), first order, revenue of the last 6 months and the 6 before, health band.',
		columns: [
			'account_id',
			'name',
			'stage',
			'first_order',
			'revenue_6m',
			'revenue_prev_6m',
			'health_band'
		],
		run: (db: Db, opts: DatasetOptions) =>
			pages(
				(after) => lifecycleAccounts(db, { ...common(opts), after }),
				(r) => ({
					account_id: r.accountId,
					name: r.name,
					stage: r.stage,
					first_order: r.firstOrder,
					revenue_6m: r.revenue6m,
					revenue_prev_6m: r.revenuePrev6m,
					health_band: r.healthBand
				})
			)
	},
	{
		name: 'pareto',
		description:
			'Revenue concentration: the share of trailing-12-month revenue from the top share of accounts (accounts with revenue), from 0 to 1 in `points` steps.',
		columns: ['account_share', 'revenue_share'],
		options: {
			points: {
				description: 'steps of the curve (it has points + 1 rows)',
				values: PARETO_POINTS,
				fallback: '100'
			}
		},
		async *run(db: Db, opts: DatasetOptions) {
			const points = opts.options?.points ?? '100';
			if (!(PARETO_POINTS as readonly string[]).includes(points)) {
				throw new AnalyticsError(
					`The pareto dataset's points option is ${points}: use one of ${PARETO_POINTS.join(', ')}.`
				);
			}
			const curve = await paretoCurve(db, {
				asOf: opts.asOf,
				filters: opts.filters,
				scope: opts.scope ?? 'all',
				points: Number(points)
			});
			yield curve.curve.map((p) => ({
				account_share: p.accountShare,
				revenue_share: p.revenueShare
			}));
		}
	}
];
