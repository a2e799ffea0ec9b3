/** What every voice-of-customer and service read shares: options, refresh, filters, paging. */
import type { Db } from '../../sql/client.ts';
import { AnalyticsError } from '../errors.ts';
import { checkPage } from '../read.ts';
import { requireRefresh } from '../refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from '../scope.ts';
import type { Grain } from './nps-math.ts';

const MAX_PAGE = 10_000;
/** Periods of a trend when the caller names none: a year of months, two years of quarters. */
const DEFAULT_PERIODS: Readonly<Record<Grain, number>> = { month: 12, quarter: 8 };
/** Longest window of a trend or split, in its periods (20 years of months). */
export const MAX_PERIODS = 240;

export interface VocReadOptions {
	/** YYYY-MM-DD; default the latest refresh. */
	readonly asOf?: string;
	readonly filters?: AccountFilters;
	/** Default 'all'. */
	readonly scope?: AccountScope;
}

export { oneOf } from '../read.ts';

/** A page's limit (default 100, at most 10,000) and offset, checked. */
export function page(limit: number | undefined, offset: number | undefined, fallback = 100) {
	return checkPage(limit, offset, { fallback, max: MAX_PAGE });
}

/** The refresh to read (AnalyticsError when there is none) and the filter parameters. */
export async function readContext(db: Db, options: VocReadOptions) {
	const refresh = await requireRefresh(db, options.asOf);
	return {
		refresh,
		params: {
			refresh_id: refresh.refreshId,
			...accountFilterParams(options.filters, options.scope)
		}
	};
}

export function checkDay(value: string, what: string): string {
	const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
	if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
		throw new AnalyticsError(`${what} '${value}' is not a date: write it as YYYY-MM-DD.`);
	}
	return value;
}

/** How many periods a trend shows (default a year of months or two years of quarters). */
export function periodCount(grain: Grain, periods: number | undefined): number {
	const count = periods ?? DEFAULT_PERIODS[grain];
	if (!Number.isInteger(count) || count < 1 || count > MAX_PERIODS) {
		throw new AnalyticsError(`Ask for 1 to ${MAX_PERIODS} periods, not ${count}.`);
	}
	return count;
}
