/**
 * What every segment read shares: the options (as-of date, filters, scope, paging), the refresh
 * they resolve to, and the checks of values that reach SQL only through allow-lists.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
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
	const limit = options.limit ?? 100;
	const offset = options.offset ?? 0;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
		throw new AnalyticsError(`The page size ${limit} is not allowed: use 1 to ${MAX_PAGE} rows.`);
	}
	if (!Number.isInteger(offset) || offset < 0) {
		throw new AnalyticsError(`The offset ${offset} is not allowed: use a whole number from 0.`);
	}
	return { limit, offset, after: options.after ?? '' };
}

/** A value checked against its allow-list (sort keys, segment keys, stages, tiers). */
export function oneOf<T extends string>(
	value: string | undefined,
	allowed: readonly T[],
	what: string
): T | '' {
	if (value === undefined || value === '') return '';
	if (!(allowed as readonly string[]).includes(value)) {
		throw new AnalyticsError(`Unknown ${what} '${value}': use one of ${allowed.join(', ')}.`);
	}
	return value as T;
}

/** part ÷ whole, or null when the whole is 0. */
export function share(part: number, whole: number): number | null {
	return whole === 0 ? null : part / whole;
}

type Raw = Record<string, unknown>;
export type { Raw };
export const num = (v: unknown): number | null =>
	v === null || v === undefined ? null : Number(v);
export const str = (v: unknown): string | null =>
	v === null || v === undefined ? null : String(v);
