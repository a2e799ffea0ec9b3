/**
 * Tier reads (METRICS.md "Tier"; computed by the base refresh into account_snapshot, where it is
 * also a filter column): accounts with their tier, and accounts and revenue per tier. Money is
 * returned as decimal strings (trailing-12-month revenue in the reporting currency); rates and
 * shares as numbers.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import type { RefreshRef } from '../refresh/state.ts';
import {
	oneOf,
	pageParams,
	readBase,
	share,
	type PageOptions,
	type Raw,
	type SegmentReadOptions
} from './read-options.ts';

export const TIERS = ['A', 'B', 'C'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_SORTS = ['revenue_12m', 'repurchase_rate', 'account_id'] as const;
export type TierSort = (typeof TIER_SORTS)[number];

export interface TierAccountsOptions extends SegmentReadOptions, PageOptions {
	readonly tier?: Tier;
	/** Default revenue_12m (descending). */
	readonly sort?: TierSort;
}

export interface TierAccountRow {
	readonly accountId: string;
	readonly name: string;
	readonly segment: string;
	readonly region: string;
	readonly industry: string;
	readonly ownerEmail: string;
	/** Trailing-12-month revenue, a decimal string. */
	readonly revenue12m: string;
	readonly orders12m: number;
	/** Of the last 4 quarters (3-month windows ending on the as-of date), those with an order. */
	readonly repurchaseQuarters: number;
	/** repurchaseQuarters ÷ 4. */
	readonly repurchaseRate: number;
	readonly tier: Tier;
}

export async function tierAccounts(
	db: Db,
	options: TierAccountsOptions = {}
): Promise<{ refresh: RefreshRef; rows: TierAccountRow[] }> {
	const tier = oneOf(options.tier, TIERS, 'tier');
	const sort = oneOf(options.sort ?? 'revenue_12m', TIER_SORTS, 'sort');
	const { refresh, params } = await readBase(db, options);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('segments-tier-accounts'),
		{ ...params, ...pageParams(options), tier, sort },
		{ tag: 'segments:tier-accounts' }
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
			revenue12m: String(r.revenue_12m),
			orders12m: Number(r.orders_12m),
			repurchaseQuarters: Number(r.repurchase_quarters),
			repurchaseRate: Number(r.repurchase_rate),
			tier: String(r.tier) as Tier
		}))
	};
}

export interface TierSummaryRow {
	readonly tier: Tier;
	readonly accounts: number;
	/** Trailing-12-month revenue of its accounts, a decimal string. */
	readonly revenue: string;
	/** Of all accounts (resp. their revenue) in the filters and scope; null when none. */
	readonly accountShare: number | null;
	readonly revenueShare: number | null;
}

/** Accounts and revenue per tier, A, B, C in that order (zeros for an empty tier). */
export async function tierSummary(
	db: Db,
	options: SegmentReadOptions = {}
): Promise<{ refresh: RefreshRef; accounts: number; revenue: string; tiers: TierSummaryRow[] }> {
	const { refresh, params } = await readBase(db, options);
	const rows = await queryRows<Raw>(db, loadQuery('segments-tier-summary'), params, {
		tag: 'segments:tier-summary'
	});
	const accounts = rows[0] ? Number(rows[0].total_accounts) : 0;
	const revenue = rows[0] ? String(rows[0].total_revenue) : '0';
	const byTier = new Map(rows.map((r) => [String(r.tier), r]));
	return {
		refresh,
		accounts,
		revenue,
		tiers: TIERS.map((tier) => {
			const r = byTier.get(tier);
			const n = r ? Number(r.accounts) : 0;
			const tierRevenue = r ? String(r.revenue) : '0';
			return {
				tier,
				accounts: n,
				revenue: tierRevenue,
				accountShare: share(n, accounts),
				revenueShare: share(Number(tierRevenue), Number(revenue))
			};
		})
	};
}
