/**
 * Filters and scope: the two ways every analytics function narrows the accounts it reads.
 *
 * - Filters are what a user picks (segment, region, … — URL parameters in the portal, `--filter
 *   k=v` on the CLI). Each takes a list of values; an empty or absent list means "any".
 * - Scope is what the user may see (ARCHITECTURE.md, "Roles and scope"), computed once per
 *   request on the server: all accounts, or those owned by the listed owners (a CSM: themself; a
 *   manager: their team), or listed accounts.
 *
 * Both reach SQL only as typed parameters of sql/fragments/account-filter.sql.
 */
import { z } from 'zod';

export const FILTER_KEYS = [
	'segment',
	'region',
	'industry',
	'channel',
	'owner',
	'team',
	'tier',
	'category'
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Values per filter key; absent or empty = any. `channel` is the acquisition channel. */
export type AccountFilters = { readonly [K in FilterKey]?: readonly string[] };

/**
 * Which accounts the caller may see. `'all'` for admins, executives and analysts; otherwise the
 * union of the accounts owned by `owners` and the listed `accountIds` (none when both are empty).
 */
export type AccountScope =
	'all' | { readonly owners?: readonly string[]; readonly accountIds?: readonly string[] };

export class FilterError extends Error {
	override name = 'FilterError';
}

/** Longest accepted filter value: longer is a mistake or an attack, not a segment name. */
const MAX_VALUE = 200;
const MAX_VALUES = 1000;

const valueSchema = z
	.string()
	.max(MAX_VALUE, `a value is longer than ${MAX_VALUE} characters`)
	// eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
	.refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'a value contains a control character');

/** The SQL parameters of the account-filter fragment. */
export function accountFilterParams(
	filters: AccountFilters = {},
	scope: AccountScope = 'all'
): Record<string, unknown> {
	const list = (key: FilterKey): string[] => {
		const values = filters[key] ?? [];
		if (values.length > MAX_VALUES) {
			throw new FilterError(`Filter ${key}: at most ${MAX_VALUES} values, got ${values.length}.`);
		}
		for (const v of values) {
			const r = valueSchema.safeParse(v);
			if (!r.success) {
				throw new FilterError(`Filter ${key}: ${r.error.issues[0]?.message ?? 'invalid value'}.`);
			}
		}
		return [...new Set(values)];
	};
	return {
		f_segment: list('segment'),
		f_region: list('region'),
		f_industry: list('industry'),
		f_channel: list('channel'),
		f_owner: list('owner'),
		f_team: list('team'),
		f_tier: list('tier'),
		f_category: list('category'),
		scope_all: scope === 'all',
		scope_owners: scope === 'all' ? [] : [...(scope.owners ?? [])],
		scope_accounts: scope === 'all' ? [] : [...(scope.accountIds ?? [])]
	};
}

/**
 * Filters from `key=value` pairs (the CLI's `--filter`, or URL search parameters): a key may
 * repeat, and a value may list several with commas (`segment=smb,mid-market`).
 */
export function parseFilters(pairs: Iterable<readonly [string, string]>): AccountFilters {
	const out: Partial<Record<FilterKey, string[]>> = {};
	for (const [rawKey, rawValue] of pairs) {
		const key = rawKey.trim();
		if (!(FILTER_KEYS as readonly string[]).includes(key)) {
			throw new FilterError(`Unknown filter '${key}': use one of ${FILTER_KEYS.join(', ')}.`);
		}
		const values = rawValue
			.split(',')
			.map((v) => v.trim())
			.filter((v) => v !== '');
		if (!values.length) throw new FilterError(`Filter ${key} has no value: write ${key}=value.`);
		(out[key as FilterKey] ??= []).push(...values);
	}
	accountFilterParams(out);
	return out;
}

/** `k=v` strings (the CLI) to pairs; throws FilterError naming the malformed one. */
export function filterPairs(items: readonly string[]): [string, string][] {
	return items.map((item) => {
		const at = item.indexOf('=');
		if (at <= 0) throw new FilterError(`Filter '${item}' is not key=value (e.g. segment=smb).`);
		return [item.slice(0, at), item.slice(at + 1)];
	});
}
