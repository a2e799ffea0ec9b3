/**
 * What every segment read shares: the options (as-of date, filters, scope, paging), the refresh
 * they resolve to, and the checks of values that reach SQL only through allow-lists.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import { checkPage } from '../read.ts';
import { requireRefresh, type RefreshRef } from '../refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from '../scope.ts';

export interface SegmentReadOptions {
	/** YYYY-MM-DD; default the latest refresh. */
	readonly asOf?: string;
	readonly filters?: AccountFilters;
	/** Default 'all'. */
	readonly scope?: AccountScope;
}

export interface PageOptions {
	/** Rows per page, 1..100,000; default 100. */
	readonly limit?: number;
	readonly offset?: number;
	/**
	 * Only accounts whose id sorts after this one (keyset paging of exports, with the sort
	 * `account_id`: a page of a million-row list costs the same as the first).
	 */
	readonly after?: string;
}

export const MAX_PAGE = 100_000;

/** The refresh a read uses (see analytics/refresh/state.ts), and the filter parameters. */
export async function readBase(
	db: Db,
	options: SegmentReadOptions
): Promise<{ refresh: RefreshRef; params: Record<string, unknown> }> {
	const params = accountFilterParams(options.filters, options.scope);
	const refresh = await requireRefresh(db, options.asOf);
	return { refresh, params: { ...params, refresh_id: refresh.refreshId } };
}

/** As readBase, for reads of account_segments: an error when the refresh has none. */
export async function segmentsBase(
	db: Db,
	options: SegmentReadOptions
): Promise<{ refresh: RefreshRef; params: Record<string, unknown> }> {
	const base = await readBase(db, options);
	const row = await queryOne<{ computed: number | boolean }>(
		db,
		loadQuery('segments-computed'),
		{ refresh_id: base.refresh.refreshId },
		{ tag: 'segments:computed' }
	);
	if (!Number(row?.computed)) {
		throw new AnalyticsError(
			`The customer segments (RFM and lifecycle) were not computed by the refresh as of ${base.refresh.asOf}: run tenure refresh --as-of ${base.refresh.asOf} again.`
		);
	}
	return base;
}

export function pageParams(options: PageOptions): { limit: number; offset: number; after: string } {
	return {
		...checkPage(options.limit, options.offset, { max: MAX_PAGE }),
		after: options.after ?? ''
	};
}

/**
 * Sort keys, segment keys, stages and tiers are checked against their allow-lists; an absent or
 * empty one reads as no restriction ('').
 */
export { optionalOneOf as oneOf, num, str, type Raw } from '../read.ts';

/** part ÷ whole, or null when the whole is 0. */
export function share(part: number, whole: number): number | null {
	return whole === 0 ? null : part / whole;
}
