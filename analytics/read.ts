/**
 * Small helpers every analytics read shares: the row type of a query, the null-preserving
 * conversion of its values, the checks of values that reach SQL only through allow-lists, and the
 * checks of a page's limit and offset.
 */
import { AnalyticsError } from './errors.ts';

/** A row as the ClickHouse client returns it. */
export type Raw = Record<string, unknown>;

/** A value as a number; null (and undefined) stay null. */
export const num = (v: unknown): number | null =>
	v === null || v === undefined ? null : Number(v);

/** A value as a string; null (and undefined) stay null. */
export const str = (v: unknown): string | null =>
	v === null || v === undefined ? null : String(v);

/** A value from an allow-list, or an AnalyticsError naming the allowed ones. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
	if ((allowed as readonly string[]).includes(value)) return value as T;
	throw new AnalyticsError(`Unknown ${what} '${value}': use one of ${allowed.join(', ')}.`);
}

/** As oneOf, for an optional value: absent or '' (no restriction) gives ''. */
export function optionalOneOf<T extends string>(
	value: string | undefined,
	allowed: readonly T[],
	what: string
): T | '' {
	return value === undefined || value === '' ? '' : oneOf(value, allowed, what);
}

export interface PageCheck {
	/** The limit when none is given; default 100. */
	readonly fallback?: number;
	/** The largest limit; default 100,000. */
	readonly max?: number;
	/** What a page holds, for the message; default 'rows'. */
	readonly noun?: string;
}

/** A page's limit (1 to max, default fallback) and offset (from 0, default 0), checked. */
export function checkPage(
	limit: number | undefined,
	offset: number | undefined,
	opts: PageCheck = {}
): { limit: number; offset: number } {
	const { fallback = 100, max = 100_000, noun = 'rows' } = opts;
	const l = limit ?? fallback;
	const o = offset ?? 0;
	if (!Number.isInteger(l) || l < 1 || l > max) {
		throw new AnalyticsError(
			`A page holds 1 to ${max.toLocaleString('en-US')} ${noun}, not ${l}: pick another limit.`
		);
	}
	if (!Number.isInteger(o) || o < 0) {
		throw new AnalyticsError(`The offset must be a whole number from 0, not ${o}.`);
	}
	return { limit: l, offset: o };
}
