/**
 * Read models over stored LTV refreshes, for the portal and `tenure export ltv`: the refresh of a
 * date, its fits, per-account rows and distributions by group. All take a scope (which accounts
 * the caller may see), applied inside the SQL as a parameter.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne, queryRows } from '../../sql/query.ts';
import { num, oneOf, str, type Raw } from '../read.ts';
import type { FitReport } from './refresh.ts';
import type { FitStatus } from './tenant-fit.ts';

/** Which accounts the caller may see: all, or the listed ones (none when the list is absent). */
export type LtvScope = 'all' | { readonly accountIds?: readonly string[] };

export interface LtvRefresh {
	readonly fitId: string;
	readonly asOf: string;
	readonly createdMs: number;
}

/** A stored fit: the refresh's report of it, plus the settings it was made with. */
export interface LtvFitRow extends FitReport {
	readonly currency: string;
	readonly margin: number;
	readonly discountRate: number;
}

export interface LtvAccountFilters {
	readonly segment?: string;
	readonly region?: string;
	readonly industry?: string;
	readonly model?: 'orders' | 'subscriptions';
	/** Only accounts whose next order is overdue. */
	readonly overdueOnly?: boolean;
}

export const LTV_SORTS = [
	'account_id',
	'ltv_12m_predicted',
	'ltv_historical',
	'ltv_contractual',
	'p_alive'
] as const;
export type LtvSort = (typeof LTV_SORTS)[number];

export interface LtvAccountRow {
	readonly accountId: string;
	readonly name: string;
	readonly segment: string;
	readonly region: string;
	readonly industry: string;
	readonly model: 'orders' | 'subscriptions';
	readonly currency: string;
	/** First day of the cohort month, YYYY-MM-DD. */
	readonly cohortMonth: string;
	/** Repeat purchase days, recency and age in weeks, mean repeat value; null without orders. */
	readonly x: number | null;
	readonly tx: number | null;
	readonly T: number | null;
	readonly mx: number | null;
	/** Decimal strings (exact money). */
	readonly revenue: string;
	readonly ltvHistorical: string;
	readonly mrr: string | null;
	readonly pAlive: number | null;
	readonly expTx4w: number | null;
	readonly expTx13w: number | null;
	readonly expTx52w: number | null;
	readonly expAvgValue: number | null;
	readonly ltv12mPredicted: number | null;
	readonly ltvContractual: number | null;
	readonly lastOrderDate: string | null;
	readonly nextOrderDue: string | null;
	readonly overdue: boolean;
}

export const LTV_GROUPS = ['segment', 'region', 'industry', 'cohort_month'] as const;
export type LtvGroup = (typeof LTV_GROUPS)[number];
export const LTV_MEASURES = [
	'ltv_12m_predicted',
	'ltv_historical',
	'ltv_contractual',
	'p_alive'
] as const;
export type LtvMeasure = (typeof LTV_MEASURES)[number];

export interface LtvDistributionRow {
	readonly group: string;
	readonly accounts: number;
	/** Accounts with a value of the measure (predicted and contractual can be empty). */
	readonly valued: number;
	readonly total: number | null;
	readonly mean: number | null;
	readonly p10: number | null;
	readonly p25: number | null;
	readonly median: number | null;
	readonly p75: number | null;
	readonly p90: number | null;
}

function scopeParams(scope: LtvScope): { all_accounts: boolean; account_ids: string[] } {
	if (scope === 'all') return { all_accounts: true, account_ids: [] };
	return { all_accounts: false, account_ids: [...(scope.accountIds ?? [])] };
}

/** The latest refresh of a date (or the latest of all when asOf is absent); null if none. */
export async function latestLtvRefresh(db: Db, asOf?: string): Promise<LtvRefresh | null> {
	const row = await queryOne<Raw>(
		db,
		loadQuery('ltv-refresh'),
		{ any_date: asOf === undefined, as_of: asOf ?? '1970-01-01' },
		{ tag: 'ltv:refresh' }
	);
	return row
		? { fitId: String(row.fit_id), asOf: String(row.as_of_day), createdMs: Number(row.created_ms) }
		: null;
}

export async function ltvFits(db: Db, fitId: string): Promise<LtvFitRow[]> {
	const rows = await queryRows<Raw>(
		db,
		loadQuery('ltv-refresh-fits'),
		{ fit_id: fitId },
		{ tag: 'ltv:fits' }
	);
	return rows.map((r) => ({
		model: String(r.model) as LtvFitRow['model'],
		status: String(r.status) as FitStatus,
		params: Object.fromEntries(
			Object.entries((r.params ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Number(v)])
		),
		logLikelihood: num(r.log_likelihood),
		n: Number(r.n),
		converged: Number(r.converged) === 1,
		iterations: Number(r.iterations),
		message: String(r.message),
		currency: String(r.currency),
		margin: Number(r.margin),
		discountRate: Number(r.discount_rate)
	}));
}

export interface LtvByAccountOptions {
	/** Default: the latest refresh. */
	readonly asOf?: string;
	readonly scope: LtvScope;
	readonly filters?: LtvAccountFilters;
	readonly sort?: LtvSort;
	/** Default 100. */
	readonly limit?: number;
	readonly offset?: number;
}

/** One page of per-account LTV rows; null when there is no refresh for the date. */
export async function ltvByAccount(
	db: Db,
	options: LtvByAccountOptions
): Promise<{ refresh: LtvRefresh; rows: LtvAccountRow[] } | null> {
	const refresh = await latestLtvRefresh(db, options.asOf);
	if (!refresh) return null;
	const filters = options.filters ?? {};
	const rows = await queryRows<Raw>(
		db,
		loadQuery('ltv-by-account'),
		{
			as_of: refresh.asOf,
			fit_id: refresh.fitId,
			...scopeParams(options.scope),
			segment: filters.segment ?? '',
			region: filters.region ?? '',
			industry: filters.industry ?? '',
			model: filters.model ?? '',
			overdue_only: filters.overdueOnly ?? false,
			sort: oneOf(options.sort ?? 'ltv_12m_predicted', LTV_SORTS, 'sort'),
			limit: options.limit ?? 100,
			offset: options.offset ?? 0
		},
		{ tag: 'ltv:by-account' }
	);
	return {
		refresh,
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			name: String(r.name ?? ''),
			segment: String(r.segment ?? ''),
			region: String(r.region ?? ''),
			industry: String(r.industry ?? ''),
			model: String(r.model) as LtvAccountRow['model'],
			currency: String(r.currency),
			cohortMonth: String(r.cohort_month),
			x: num(r.x),
			tx: num(r.t_x),
			T: num(r.T),
			mx: num(r.m_x),
			revenue: String(r.revenue),
			ltvHistorical: String(r.ltv_historical),
			mrr: str(r.mrr),
			pAlive: num(r.p_alive),
			expTx4w: num(r.exp_tx_4w),
			expTx13w: num(r.exp_tx_13w),
			expTx52w: num(r.exp_tx_52w),
			expAvgValue: num(r.exp_avg_value),
			ltv12mPredicted: num(r.ltv_12m_predicted),
			ltvContractual: num(r.ltv_contractual),
			lastOrderDate: str(r.last_order_date),
			nextOrderDue: str(r.next_order_due),
			overdue: Number(r.overdue) === 1
		}))
	};
}

export interface LtvDistributionOptions {
	readonly asOf?: string;
	readonly scope: LtvScope;
	readonly groupBy: LtvGroup;
	/** Default ltv_12m_predicted. */
	readonly measure?: LtvMeasure;
}

/** A measure's distribution per group; null when there is no refresh for the date. */
export async function ltvDistribution(
	db: Db,
	options: LtvDistributionOptions
): Promise<{ refresh: LtvRefresh; rows: LtvDistributionRow[] } | null> {
	const groupBy = oneOf(options.groupBy, LTV_GROUPS, 'grouping');
	const measure = oneOf(options.measure ?? 'ltv_12m_predicted', LTV_MEASURES, 'measure');
	const refresh = await latestLtvRefresh(db, options.asOf);
	if (!refresh) return null;
	const rows = await queryRows<Raw>(
		db,
		loadQuery('ltv-distribution'),
		{
			as_of: refresh.asOf,
			fit_id: refresh.fitId,
			...scopeParams(options.scope),
			group_by: groupBy,
			measure
		},
		{ tag: 'ltv:distribution' }
	);
	return {
		refresh,
		rows: rows.map((r) => {
			const valued = Number(r.valued);
			const q = (r.quantiles as unknown[]) ?? [];
			const at = (i: number) => (valued ? num(q[i]) : null);
			return {
				group: String(r.group_key),
				accounts: Number(r.accounts),
				valued,
				total: valued ? num(r.total) : null,
				mean: valued ? num(r.mean) : null,
				p10: at(0),
				p25: at(1),
				median: at(2),
				p75: at(3),
				p90: at(4)
			};
		})
	};
}
