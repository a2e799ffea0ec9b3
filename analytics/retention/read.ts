/**
 * What every retention read shares: the refresh it reads, the filter and scope parameters, and
 * the paging of account lists.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import { checkPage } from '../read.ts';
import { requireRefresh, type RefreshRef } from '../refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from '../scope.ts';

/** The options every retention function takes. */
export interface RetentionReadOptions {
	/** YYYY-MM-DD: read the latest refresh of this date; default the latest refresh. */
	readonly asOf?: string;
	readonly filters?: AccountFilters;
	/** Default 'all'. */
	readonly scope?: AccountScope;
}

/** Paging of account lists: at most `limit` rows (default 100, at most 10,000) from `offset`. */
export interface PageOptions {
	readonly limit?: number;
	readonly offset?: number;
}

/** A page of accounts and how many there are in all. */
export interface AccountPage<T> {
	readonly total: number;
	readonly rows: T[];
}

export const MAX_PAGE = 10_000;

export async function readContext(
	db: Db,
	opts: RetentionReadOptions
): Promise<{ ref: RefreshRef; params: Record<string, unknown> }> {
	const ref = await requireRefresh(db, opts.asOf);
	return {
		ref,
		params: { refresh_id: ref.refreshId, ...accountFilterParams(opts.filters, opts.scope) }
	};
}

export function pageParams(opts: PageOptions): { limit: number; offset: number } {
	return checkPage(opts.limit, opts.offset, { max: MAX_PAGE, noun: 'accounts' });
}

/**
 * An empty result of a refresh whose period facts were dropped (only the last refreshes keep
 * them) must not read as "no activity": this says what to do instead.
 */
export async function assertFactsKept(db: Db, ref: RefreshRef): Promise<void> {
	const row = await queryOne<{ kept: number | boolean }>(
		db,
		loadQuery('retention-facts-kept'),
		{ refresh_id: ref.refreshId },
		{ tag: 'retention:facts-kept' }
	);
	if (!Number(row?.kept)) {
		throw new AnalyticsError(
			`The period facts of the refresh as of ${ref.asOf} are no longer kept (only the latest refreshes keep them): run tenure refresh --as-of ${ref.asOf} again to read its cohorts and trends.`
		);
	}
}
