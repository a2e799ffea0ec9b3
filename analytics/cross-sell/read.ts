/**
 * Read models over the cross-sell tables, for the portal and `tenure export`. Affinity without
 * filters and with scope 'all' is the refresh's stored table; with any filter or a narrower scope
 * it is computed on the fly from the refresh's account_products over the accounts that pass
 * (the same SQL the refresh stores, so both agree), because pair counts of a subset cannot be
 * derived from the totals. Suggestions are always the stored ones (rules of all accounts), of
 * the accounts that pass the filters and scope.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import { tenantSettings } from '../config.ts';
import { AnalyticsError } from '../errors.ts';
import { checkPage, type Raw } from '../read.ts';
import { requireRefresh, type RefreshRef } from '../refresh/state.ts';
import {
	accountFilterParams,
	FILTER_KEYS,
	type AccountFilters,
	type AccountScope
} from '../scope.ts';
import type { AffinityPair } from './affinity.ts';

function unfiltered(filters: AccountFilters | undefined, scope: AccountScope | undefined): boolean {
	return (scope ?? 'all') === 'all' && FILTER_KEYS.every((k) => !filters?.[k]?.length);
}

export interface ProductAffinityOptions {
	readonly asOf?: string;
	/** Only pairs with at least this lift / support (default 0: all). */
	readonly minLift?: number;
	readonly minSupport?: number;
	readonly limit: number;
	readonly offset?: number;
	readonly filters?: AccountFilters;
	readonly scope?: AccountScope;
}

/** Pairs A → B by lift, then confidence (descending). */
export async function productAffinity(
	db: Db,
	options: ProductAffinityOptions
): Promise<{ refresh: RefreshRef; rows: AffinityPair[] }> {
	const { limit, offset } = checkPage(options.limit, options.offset);
	for (const [name, v] of [
		['minLift', options.minLift],
		['minSupport', options.minSupport]
	] as const) {
		if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
			throw new AnalyticsError(`${name} must be a number of at least 0, not ${v}.`);
		}
	}
	const refresh = await requireRefresh(db, options.asOf);
	const stored = unfiltered(options.filters, options.scope);
	const params = {
		refresh_id: refresh.refreshId,
		as_of: refresh.asOf,
		min_lift: options.minLift ?? 0,
		min_support: options.minSupport ?? 0,
		limit,
		offset
	};
	const rows = stored
		? await queryRows<Raw>(db, loadQuery('cross-sell-affinity-stored'), params, {
				tag: 'cross-sell:affinity-stored'
			})
		: await queryRows<Raw>(
				db,
				loadQuery('cross-sell-affinity'),
				{
					...params,
					...accountFilterParams(options.filters, options.scope),
					lookback_days: (await tenantSettings(db)).crossSellLookbackDays
				},
				{ tag: 'cross-sell:affinity-filtered' }
			);
	return {
		refresh,
		rows: rows.map((r) => ({
			skuA: String(r.sku_a),
			skuB: String(r.sku_b),
			accountsA: Number(r.accounts_a),
			accountsB: Number(r.accounts_b),
			accountsAB: Number(r.accounts_ab),
			accountsTotal: Number(r.accounts_total),
			support: Number(r.support),
			confidence: Number(r.confidence),
			lift: Number(r.lift)
		}))
	};
}

export interface CrossSellRow {
	readonly accountId: string;
	readonly name: string;
	readonly ownerEmail: string;
	/** 1 = best. */
	readonly rank: number;
	readonly sku: string;
	readonly productName: string;
	readonly category: string;
	readonly confidence: number;
	readonly lift: number;
	/** List price, a decimal string. */
	readonly price: string;
	/** confidence × price. */
	readonly score: number;
	/** The product the account bought that suggests this one (best rule). */
	readonly becauseSku: string;
	readonly becauseProductName: string;
}

export interface CrossSellOptions {
	readonly asOf?: string;
	readonly accountId?: string;
	readonly filters?: AccountFilters;
	readonly scope?: AccountScope;
	/** Default 100, at most 100,000. */
	readonly limit?: number;
	readonly offset?: number;
}

/** Stored suggestions by account and rank. */
export async function crossSellSuggestions(
	db: Db,
	options: CrossSellOptions = {}
): Promise<{ refresh: RefreshRef; total: number; rows: CrossSellRow[] }> {
	const { limit, offset } = checkPage(options.limit, options.offset);
	const refresh = await requireRefresh(db, options.asOf);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('cross-sell-suggestions-page'),
		{
			refresh_id: refresh.refreshId,
			account_id: options.accountId ?? '',
			...accountFilterParams(options.filters, options.scope),
			limit,
			offset
		},
		{ tag: 'cross-sell:suggestions' }
	);
	return {
		refresh,
		total: rows.length ? Number(rows[0]!.total) : 0,
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			name: String(r.name),
			ownerEmail: String(r.owner_email),
			rank: Number(r.rank),
			sku: String(r.sku),
			productName: String(r.product_name ?? ''),
			category: String(r.category),
			confidence: Number(r.confidence),
			lift: Number(r.lift),
			price: String(r.price),
			score: Number(r.score),
			becauseSku: String(r.because_sku),
			becauseProductName: String(r.because_product_name ?? '')
		}))
	};
}
