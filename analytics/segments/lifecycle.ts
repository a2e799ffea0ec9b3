/**
 * Lifecycle reads (METRICS.md "Lifecycle stage"; the rule is analytics/segments/lifecycle-rule.ts,
 * applied by the refresh step "segments"): accounts with their stage, and accounts per stage.
 * Money is returned as decimal strings (reporting currency); shares as numbers.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import type { RefreshRef } from '../refresh/state.ts';
import { LIFECYCLE_STAGES, type LifecycleStage } from './lifecycle-rule.ts';
import {
	oneOf,
	pageParams,
	segmentsBase,
	share,
	str,
	type PageOptions,
	type Raw,
	type SegmentReadOptions
} from './read-options.ts';

export const LIFECYCLE_SORTS = [
	'revenue_6m',
	'revenue_change',
	'first_order',
	'account_id'
] as const;
export type LifecycleSort = (typeof LIFECYCLE_SORTS)[number];

export interface LifecycleAccountsOptions extends SegmentReadOptions, PageOptions {
	readonly stage?: LifecycleStage;
	/** Default revenue_6m (descending); first_order lists the oldest customers first. */
	readonly sort?: LifecycleSort;
}

export type HealthBand = 'green' | 'yellow' | 'red' | 'none';

export interface LifecycleAccountRow {
	readonly accountId: string;
	readonly name: string;
	readonly segment: string;
	readonly region: string;
	readonly industry: string;
	readonly ownerEmail: string;
	readonly tier: string;
	readonly stage: LifecycleStage;
	/** YYYY-MM-DD of the first counted order; null: none. */
	readonly firstOrder: string | null;
	/** First counted order or subscription start (by the business model): what the stage uses. */
	readonly firstActivity: string | null;
	/** Revenue of the last 6 months and of the 6 months before, decimal strings. */
	readonly revenue6m: string;
	readonly revenuePrev6m: string;
	/** The health band of the same refresh; null when the account has no health score row. */
	readonly healthBand: HealthBand | null;
}

export async function lifecycleAccounts(
	db: Db,
	options: LifecycleAccountsOptions = {}
): Promise<{ refresh: RefreshRef; rows: LifecycleAccountRow[] }> {
	const stage = oneOf(options.stage, LIFECYCLE_STAGES, 'lifecycle stage');
	const sort = oneOf(options.sort ?? 'revenue_6m', LIFECYCLE_SORTS, 'sort');
	const { refresh, params } = await segmentsBase(db, options);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('segments-lifecycle-accounts'),
		{ ...params, ...pageParams(options), stage, sort },
		{ tag: 'segments:lifecycle-accounts' }
	);
	return {
		refresh,
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			name: String(r.name),
			segment: String(r.segment),
			region: String(r.region),
			industry: String(r.industry),
			ownerEmail: String(r.owner_email),
			tier: String(r.tier),
			stage: String(r.stage) as LifecycleStage,
			firstOrder: str(r.first_order),
			firstActivity: str(r.first_activity),
			revenue6m: String(r.revenue_6m),
			revenuePrev6m: String(r.revenue_prev_6m),
			healthBand: r.health_band ? (String(r.health_band) as HealthBand) : null
		}))
	};
}

export interface LifecycleSummaryRow {
	readonly stage: LifecycleStage;
	readonly accounts: number;
	/** Of all accounts in the filters and scope; null when none. */
	readonly accountShare: number | null;
	/** Their revenue in the last 6 months and the 6 months before, decimal strings. */
	readonly revenue6m: string;
	readonly revenuePrev6m: string;
}

/** Accounts per stage, in LIFECYCLE_STAGES order (zeros for an empty stage). */
export async function lifecycleSummary(
	db: Db,
	options: SegmentReadOptions = {}
): Promise<{ refresh: RefreshRef; accounts: number; stages: LifecycleSummaryRow[] }> {
	const { refresh, params } = await segmentsBase(db, options);
	const rows = await queryRows<Raw>(db, loadQuery('segments-lifecycle-summary'), params, {
		tag: 'segments:lifecycle-summary'
	});
	const accounts = rows[0] ? Number(rows[0].total_accounts) : 0;
	const byStage = new Map(rows.map((r) => [String(r.stage), r]));
	return {
		refresh,
		accounts,
		stages: LIFECYCLE_STAGES.map((stage) => {
			const r = byStage.get(stage);
			const n = r ? Number(r.accounts) : 0;
			return {
				stage,
				accounts: n,
				accountShare: share(n, accounts),
				revenue6m: r ? String(r.revenue_6m) : '0',
				revenuePrev6m: r ? String(r.revenue_prev_6m) : '0'
			};
		})
	};
}
