/**
 * The portal's reads of the health score (METRICS.md, "Health and early warning"): the list of one
 * refresh, its band summary, one account's history and the band trend over stored dates. Every
 * read applies the filters and the caller's scope in SQL.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import { HEALTH_COMPONENTS, type HealthComponent } from '../config.ts';
import { AnalyticsError } from '../errors.ts';
import { checkDay as checkDate } from './dates.ts';
import { checkPage, num, oneOf, str, type Raw } from '../read.ts';
import { requireRefresh, type RefreshRef } from '../refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from '../scope.ts';

export const HEALTH_BANDS = ['green', 'yellow', 'red', 'none'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

export const HEALTH_SORTS = ['score', 'score-desc', 'revenue', 'name'] as const;
/** score: worst first (no score last); score-desc: best first; revenue: 12-month revenue, highest first. */
export type HealthSort = (typeof HEALTH_SORTS)[number];

export interface HealthReadOptions {
	/** YYYY-MM-DD; default the latest refresh. */
	readonly asOf?: string;
	readonly filters?: AccountFilters;
	/** Default 'all'. */
	readonly scope?: AccountScope;
}

export type ComponentScores = Readonly<Record<HealthComponent, number | null>>;

/** The raw inputs behind the components (windows end on the as-of date; see 0008_health.sql). */
export interface HealthInputs {
	readonly orderDays: number;
	readonly lastOrder: string | null;
	readonly daysSinceOrder: number | null;
	readonly medianGapDays: number | null;
	/** Decimal strings in the reporting currency. */
	readonly spend90d: string;
	readonly spendPrev90d: string;
	readonly usageDays: number;
	readonly usageEvents90d: number;
	readonly usageEventsPrev90d: number;
	readonly tickets90d: number;
	readonly slaBreaches90d: number;
	readonly npsLatest: number | null;
	readonly npsDay: string | null;
	readonly csatRatings90d: number;
	readonly csatGood90d: number;
	readonly sentimentTickets90d: number;
	readonly negativeTickets90d: number;
	readonly invoicesConsidered: number;
	readonly overdueInvoices: number;
	readonly maxDaysLate: number | null;
	readonly lastTouch: string | null;
	readonly daysSinceTouch: number | null;
}

/** One account's health in a refresh. Money (revenue12m) is a decimal string. */
export interface HealthScoreRow {
	readonly accountId: string;
	readonly name: string;
	readonly segment: string;
	readonly ownerEmail: string;
	readonly team: string;
	readonly tier: string;
	readonly revenue12m: string;
	/** 0–100; null when no component has data (band 'none'). */
	readonly score: number | null;
	readonly band: HealthBand;
	/** 0–100 each; null = no data, left out. */
	readonly components: ComponentScores;
	/** The weights used, renormalised over the present components (they sum to 1). */
	readonly weights: Readonly<Partial<Record<HealthComponent, number>>>;
	/** Components left out for lack of data, in HEALTH_COMPONENTS order. */
	readonly missing: readonly HealthComponent[];
	readonly inputs: HealthInputs;
}

export interface HealthScorePage {
	readonly refresh: RefreshRef;
	/** Accounts matching the filters, scope and band, over all pages. */
	readonly total: number;
	readonly rows: readonly HealthScoreRow[];
}

function components(r: Raw): ComponentScores {
	return Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c, num(r[`${c}_score`])])) as Record<
		HealthComponent,
		number | null
	>;
}

function weights(v: unknown): Partial<Record<HealthComponent, number>> {
	const out: Partial<Record<HealthComponent, number>> = {};
	for (const [k, w] of Object.entries((v ?? {}) as Record<string, unknown>)) {
		out[k as HealthComponent] = Number(w);
	}
	return out;
}

/** Per-account health of one refresh: score, band, components, weights used and missing ones. */
export async function healthScores(
	db: Db,
	opts: HealthReadOptions & {
		readonly band?: readonly HealthBand[];
		readonly sort?: HealthSort;
		readonly limit?: number;
		readonly offset?: number;
	} = {}
): Promise<HealthScorePage> {
	const sort = oneOf(opts.sort ?? 'score', HEALTH_SORTS, 'sort');
	for (const b of opts.band ?? []) oneOf(b, HEALTH_BANDS, 'band');
	const { limit, offset } = checkPage(opts.limit, opts.offset);
	const refresh = await requireRefresh(db, opts.asOf);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('health-list'),
		{
			...accountFilterParams(opts.filters, opts.scope),
			refresh_id: refresh.refreshId,
			bands: [...(opts.band ?? [])],
			sort,
			limit,
			offset
		},
		{ tag: 'health:list' }
	);
	return {
		refresh,
		total: rows.length ? Number(rows[0]!.total) : 0,
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			name: String(r.name),
			segment: String(r.segment),
			ownerEmail: String(r.owner_email),
			team: String(r.team),
			tier: String(r.tier),
			revenue12m: String(r.revenue_12m),
			score: num(r.score),
			band: r.band as HealthBand,
			components: components(r),
			weights: weights(r.weights),
			missing: r.missing as HealthComponent[],
			inputs: {
				orderDays: Number(r.order_days),
				lastOrder: str(r.last_order),
				daysSinceOrder: num(r.days_since_order),
				medianGapDays: num(r.median_gap_days),
				spend90d: String(r.spend_90d),
				spendPrev90d: String(r.spend_prev_90d),
				usageDays: Number(r.usage_days),
				usageEvents90d: Number(r.usage_events_90d),
				usageEventsPrev90d: Number(r.usage_events_prev_90d),
				tickets90d: Number(r.tickets_90d),
				slaBreaches90d: Number(r.sla_breaches_90d),
				npsLatest: num(r.nps_latest),
				npsDay: str(r.nps_day),
				csatRatings90d: Number(r.csat_ratings_90d),
				csatGood90d: Number(r.csat_good_90d),
				sentimentTickets90d: Number(r.sentiment_tickets_90d),
				negativeTickets90d: Number(r.negative_tickets_90d),
				invoicesConsidered: Number(r.invoices_considered),
				overdueInvoices: Number(r.overdue_invoices),
				maxDaysLate: num(r.max_days_late),
				lastTouch: str(r.last_touch),
				daysSinceTouch: num(r.days_since_touch)
			}
		}))
	};
}

export interface HealthBandSummary {
	readonly band: HealthBand;
	readonly accounts: number;
	/** Trailing-12-month revenue of the band's accounts: a decimal string, reporting currency. */
	readonly revenue12m: string;
}

export interface HealthSummary {
	readonly refresh: RefreshRef;
	readonly accounts: number;
	/** Every band in HEALTH_BANDS order, empty ones with zeros. */
	readonly bands: readonly HealthBandSummary[];
}

/** Accounts and trailing-12-month revenue per band, for one refresh. */
export async function healthSummary(db: Db, opts: HealthReadOptions = {}): Promise<HealthSummary> {
	const refresh = await requireRefresh(db, opts.asOf);
	const rows = await queryRows<{ band: string; accounts: number; revenue_12m: string }>(
		db,
		loadQuery('health-summary'),
		{ ...accountFilterParams(opts.filters, opts.scope), refresh_id: refresh.refreshId },
		{ tag: 'health:summary' }
	);
	const byBand = new Map(rows.map((r) => [r.band, r]));
	const bands = HEALTH_BANDS.map((band) => ({
		band,
		accounts: Number(byBand.get(band)?.accounts ?? 0),
		revenue12m: byBand.get(band)?.revenue_12m ?? '0.00'
	}));
	return { refresh, accounts: bands.reduce((s, b) => s + b.accounts, 0), bands };
}

export interface HealthHistoryPoint {
	readonly asOf: string;
	readonly score: number | null;
	readonly band: HealthBand;
	readonly components: ComponentScores;
	readonly weights: Readonly<Partial<Record<HealthComponent, number>>>;
	readonly missing: readonly HealthComponent[];
}

function range(from: string | undefined, to: string | undefined, latest: string) {
	const end = to ? checkDate(to, 'The end date') : latest;
	const start = from
		? checkDate(from, 'The start date')
		: new Date(Date.parse(`${end}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
	if (start > end) {
		throw new AnalyticsError(`The start date ${start} is after the end date ${end}: swap them.`);
	}
	return { from: start, to: end };
}

/**
 * One account's score and band per stored as-of date in [from, to] (default: the 365 days up to
 * the latest refresh), oldest first. Empty when the account is outside the caller's scope.
 */
export async function accountHealthHistory(
	db: Db,
	opts: {
		readonly accountId: string;
		readonly scope: AccountScope;
		readonly filters?: AccountFilters;
		readonly from?: string;
		readonly to?: string;
	}
): Promise<HealthHistoryPoint[]> {
	const latest = await requireRefresh(db);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('health-history'),
		{
			...accountFilterParams(opts.filters, opts.scope),
			...range(opts.from, opts.to, latest.asOf),
			account_id: opts.accountId,
			scope_refresh_id: latest.refreshId
		},
		{ tag: 'health:history' }
	);
	return rows.map((r) => ({
		asOf: String(r.day),
		score: num(r.score),
		band: r.band as HealthBand,
		components: components(r),
		weights: weights(r.weights),
		missing: r.missing as HealthComponent[]
	}));
}

export interface HealthBandTrendPoint {
	readonly asOf: string;
	readonly green: number;
	readonly yellow: number;
	readonly red: number;
	readonly none: number;
}

/**
 * Accounts per band on each stored as-of date in [from, to] (default: the 365 days up to the
 * latest refresh), oldest first; filters and scope by the accounts' attributes on each date.
 */
export async function healthBandTrend(
	db: Db,
	opts: {
		readonly filters?: AccountFilters;
		readonly scope?: AccountScope;
		readonly from?: string;
		readonly to?: string;
	} = {}
): Promise<HealthBandTrendPoint[]> {
	const latest = await requireRefresh(db);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('health-band-trend'),
		{ ...accountFilterParams(opts.filters, opts.scope), ...range(opts.from, opts.to, latest.asOf) },
		{ tag: 'health:band-trend' }
	);
	return rows.map((r) => ({
		asOf: String(r.day),
		green: Number(r.green),
		yellow: Number(r.yellow),
		red: Number(r.red),
		none: Number(r.none)
	}));
}
