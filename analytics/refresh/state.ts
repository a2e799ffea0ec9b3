/**
 * Which analytics refresh a read uses: the latest succeeded one of the as-of date asked for, or
 * the latest of all when none is asked for. Every derived table is read through one refresh id,
 * so a refresh that is running or failed is never seen.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';

export interface RefreshRef {
	readonly refreshId: string;
	/** YYYY-MM-DD: the data through this local day. */
	readonly asOf: string;
	/** The reporting currency of its amounts. */
	readonly currency: string;
	readonly startedMs: number;
}

/** The refresh to read, or null when there is none (for the date). */
export async function findRefresh(db: Db, asOf?: string): Promise<RefreshRef | null> {
	const row = await queryOne<Record<string, unknown>>(
		db,
		loadQuery('refresh-latest'),
		{ any_date: asOf === undefined, as_of: asOf ?? '1970-01-01' },
		{ tag: 'refresh:latest' }
	);
	return row
		? {
				refreshId: String(row.refresh_id),
				asOf: String(row.as_of_day),
				currency: String(row.currency),
				startedMs: Number(row.started_ms)
			}
		: null;
}

/** The refresh to read; an AnalyticsError saying what to run when there is none. */
export async function requireRefresh(db: Db, asOf?: string): Promise<RefreshRef> {
	const ref = await findRefresh(db, asOf);
	if (ref) return ref;
	throw new AnalyticsError(
		asOf
			? `The analytics have not been computed as of ${asOf}: run tenure refresh --as-of ${asOf} (or pick a date that has been refreshed).`
			: 'The analytics have not been computed yet: run tenure refresh (tenure demo does it after loading).'
	);
}
