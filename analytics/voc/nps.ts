/**
 * NPS reads over the refresh's voc_responses (METRICS.md "Voice of the customer and service"):
 * the trend per month or quarter, the split by an account attribute, each account's latest score
 * and the verbatims. Every read takes the refresh of its as-of date (default the latest), the
 * user's filters and the caller's scope.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne, queryRows } from '../../sql/query.ts';
import { tenantSettings } from '../config.ts';
import { AnalyticsError } from '../errors.ts';
import type { RefreshRef } from '../refresh/state.ts';
import {
	GRAINS,
	isLowSample,
	monthsBefore,
	NPS_CATEGORIES,
	npsStats,
	periodStarts,
	type Grain,
	type NpsCategory,
	type NpsStats
} from './nps-math.ts';
import {
	checkDay,
	MAX_PERIODS,
	oneOf,
	page,
	periodCount,
	readContext,
	type VocReadOptions
} from './read.ts';

/** Account attributes an NPS can be broken down by. */
export const NPS_GROUPS = ['segment', 'region', 'industry', 'tier'] as const;
export type NpsGroup = (typeof NPS_GROUPS)[number];

export interface NpsRow extends NpsStats {
	/** First day of the month or quarter (YYYY-MM-DD). */
	readonly period: string;
	/** The group's value of the `by` attribute; '' without `by`. */
	readonly group: string;
	readonly lowSample: boolean;
}

interface CountsRaw {
	period?: string;
	group_key: string;
	n: string | number;
	promoters: string | number;
	passives: string | number;
	detractors: string | number;
}

function stats(r: CountsRaw): NpsStats {
	return npsStats(Number(r.promoters), Number(r.passives), Number(r.detractors));
}

export interface NpsTrendOptions extends VocReadOptions {
	readonly grain: Grain;
	readonly by?: NpsGroup | null;
	/** How many periods, ending with the one of the as-of date (default 12 months / 8 quarters). */
	readonly periods?: number;
}

/**
 * NPS per period (and group): every period of the window appears, one without responses with
 * n = 0 and a null NPS; with `by`, every group seen in the window appears in every period.
 */
export async function npsTrend(db: Db, options: NpsTrendOptions): Promise<NpsRow[]> {
	const grain = oneOf(options.grain, GRAINS, 'grain');
	const by = options.by ? oneOf(options.by, NPS_GROUPS, 'NPS grouping') : '';
	const count = periodCount(grain, options.periods);
	const [{ refresh, params }, settings] = await Promise.all([
		readContext(db, options),
		tenantSettings(db)
	]);
	const periods = periodStarts(refresh.asOf, grain, count);
	const rows = await queryRows<CountsRaw>(
		db,
		loadQuery('nps-trend'),
		{ ...params, grain, by, from: periods[0] },
		{ tag: 'voc:nps-trend' }
	);
	const found = new Map(rows.map((r) => [`${r.period}\u0000${r.group_key}`, r]));
	const groups = by ? [...new Set(rows.map((r) => r.group_key))].sort() : [''];
	const out: NpsRow[] = [];
	for (const period of periods) {
		for (const group of groups) {
			const r = found.get(`${period}\u0000${group}`);
			const s = r ? stats(r) : npsStats(0, 0, 0);
			out.push({ period, group, ...s, lowSample: isLowSample(s.n, settings.npsMinSample) });
		}
	}
	return out;
}

export interface NpsSplitRow extends NpsStats {
	readonly group: string;
	readonly lowSample: boolean;
}

export interface NpsSplitOptions extends VocReadOptions {
	/** null: one row of all responses. */
	readonly by: NpsGroup | null;
	/** Responses of the last `months` months through the as-of date (default 12). */
	readonly months?: number;
}

/** NPS per group over the last months (one row per group with responses, by group name). */
export async function npsSplit(db: Db, options: NpsSplitOptions): Promise<NpsSplitRow[]> {
	const by = options.by ? oneOf(options.by, NPS_GROUPS, 'NPS grouping') : '';
	const months = options.months ?? 12;
	if (!Number.isInteger(months) || months < 1 || months > MAX_PERIODS) {
		throw new AnalyticsError(`Ask for 1 to ${MAX_PERIODS} months, not ${months}.`);
	}
	const [{ refresh, params }, settings] = await Promise.all([
		readContext(db, options),
		tenantSettings(db)
	]);
	const rows = await queryRows<CountsRaw>(
		db,
		loadQuery('nps-split'),
		{ ...params, by, from: monthsBefore(refresh.asOf, months) },
		{ tag: 'voc:nps-split' }
	);
	if (!by && rows.length === 0) {
		return [{ group: '', ...npsStats(0, 0, 0), lowSample: true }];
	}
	return rows.map((r) => {
		const s = stats(r);
		return { group: r.group_key, ...s, lowSample: isLowSample(s.n, settings.npsMinSample) };
	});
}

export interface AccountNpsRow {
	readonly accountId: string;
	readonly accountName: string;
	readonly responseId: string;
	readonly score: number;
	readonly category: NpsCategory;
	/** UTC, 'YYYY-MM-DD hh:mm:ss'. */
	readonly respondedAt: string;
	readonly comment: string;
}

export interface AccountNpsOptions extends VocReadOptions {
	/** Only these accounts (default all the filters and scope allow). */
	readonly accountIds?: readonly string[];
	/** Only accounts whose latest response is of this category. */
	readonly category?: NpsCategory;
	/** Default 100. */
	readonly limit?: number;
	readonly offset?: number;
}

/**
 * Each account's NPS: its latest NPS response whose local day is within the 12 months before the
 * as-of date (after D − 12 months, through D). Accounts without one are absent. Newest first.
 */
export async function accountNps(
	db: Db,
	options: AccountNpsOptions = {}
): Promise<{ refresh: RefreshRef; total: number; rows: AccountNpsRow[] }> {
	const category = options.category ? oneOf(options.category, NPS_CATEGORIES, 'category') : '';
	const { limit, offset } = page(options.limit, options.offset);
	const { refresh, params } = await readContext(db, options);
	const rows = await queryRows<Record<string, unknown>>(
		db,
		loadQuery('nps-accounts'),
		{
			...params,
			account_ids: [...(options.accountIds ?? [])],
			category,
			limit,
			offset
		},
		{ tag: 'voc:nps-accounts' }
	);
	return {
		refresh,
		total: Number(rows[0]?.total ?? 0),
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			accountName: String(r.account_name),
			responseId: String(r.response_id),
			score: Number(r.score),
			category: String(r.latest_category) as NpsCategory,
			respondedAt: String(r.latest_at),
			comment: String(r.comment)
		}))
	};
}

export interface NpsCommentRow {
	readonly responseId: string;
	/** UTC, 'YYYY-MM-DD hh:mm:ss'. */
	readonly respondedAt: string;
	readonly accountId: string;
	readonly accountName: string;
	readonly score: number;
	readonly category: NpsCategory;
	readonly comment: string;
}

export interface NpsCommentsOptions extends VocReadOptions {
	readonly category?: NpsCategory;
	/** Only comments containing this text (case-insensitive). */
	readonly search?: string;
	/** Local days after `from` (default: none) through `to` (default and at most: the as-of date). */
	readonly from?: string;
	readonly to?: string;
	readonly limit: number;
	readonly offset?: number;
}

/** NPS verbatims (responses with a comment), newest first, one page and the total. */
export async function npsComments(
	db: Db,
	options: NpsCommentsOptions
): Promise<{ refresh: RefreshRef; total: number; rows: NpsCommentRow[] }> {
	const category = options.category ? oneOf(options.category, NPS_CATEGORIES, 'category') : '';
	const search = (options.search ?? '').trim();
	if (search.length > 200) {
		throw new AnalyticsError('Search for at most 200 characters: shorten the search text.');
	}
	const { limit, offset } = page(options.limit, options.offset);
	const { refresh, params } = await readContext(db, options);
	const to =
		options.to !== undefined && checkDay(options.to, 'The end date') < refresh.asOf
			? options.to
			: refresh.asOf;
	const from = options.from !== undefined ? checkDay(options.from, 'The start date') : '1970-01-01';
	const where = { ...params, category, search, from, to };
	const [rows, count] = await Promise.all([
		queryRows<Record<string, unknown>>(
			db,
			loadQuery('nps-comments'),
			{ ...where, limit, offset },
			{ tag: 'voc:nps-comments' }
		),
		queryOne<{ total: string | number }>(db, loadQuery('nps-comments-count'), where, {
			tag: 'voc:nps-comments-count'
		})
	]);
	return {
		refresh,
		total: Number(count?.total ?? 0),
		rows: rows.map((r) => ({
			responseId: String(r.response_id),
			respondedAt: String(r.responded_time),
			accountId: String(r.account_id),
			accountName: String(r.account_name),
			score: Number(r.score),
			category: String(r.response_category) as NpsCategory,
			comment: String(r.comment)
		}))
	};
}
