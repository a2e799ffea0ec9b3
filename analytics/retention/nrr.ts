/**
 * Net and gross revenue retention (METRICS.md, "GRR / NRR"): as of the refresh date from
 * account_snapshot's trailing windows, and as a monthly trend from the month rows of
 * account_periods.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne, queryRows } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import { money, moneyRatio } from './money.ts';
import { addPeriods, checkOneOf, periodStart } from './periods.ts';
import {
	assertFactsKept,
	pageParams,
	readContext,
	type AccountPage,
	type PageOptions,
	type RetentionReadOptions
} from './read.ts';

/**
 * NRR and GRR over one pair of windows. Amounts are decimal strings in the refresh's reporting
 * currency; nrr and grr are ratios (1 = 100 %), null without base revenue. The four counts
 * split the base accounts: churned (no revenue in the current window), contracted (less than
 * their base), expanded (more) and flat (the same).
 */
export interface NrrGrr {
	readonly baseAccounts: number;
	readonly baseRevenue: string;
	readonly currentRevenue: string;
	/** Σ min(current, base) per account. */
	readonly cappedRevenue: string;
	/** currentRevenue ÷ baseRevenue. */
	readonly nrr: number | null;
	/** cappedRevenue ÷ baseRevenue (≤ nrr, ≤ 1). */
	readonly grr: number | null;
	readonly churned: number;
	readonly contracted: number;
	readonly expanded: number;
	readonly flat: number;
}

interface NrrRow {
	base_accounts: number;
	base_revenue: string;
	current_revenue: string;
	capped_revenue: string;
	churned: number;
	contracted: number;
	expanded: number;
	flat: number;
}

function toNrrGrr(r: NrrRow | undefined): NrrGrr {
	const baseRevenue = money(String(r?.base_revenue ?? '0'));
	const currentRevenue = money(String(r?.current_revenue ?? '0'));
	const cappedRevenue = money(String(r?.capped_revenue ?? '0'));
	return {
		baseAccounts: Number(r?.base_accounts ?? 0),
		baseRevenue,
		currentRevenue,
		cappedRevenue,
		nrr: moneyRatio(currentRevenue, baseRevenue),
		grr: moneyRatio(cappedRevenue, baseRevenue),
		churned: Number(r?.churned ?? 0),
		contracted: Number(r?.contracted ?? 0),
		expanded: Number(r?.expanded ?? 0),
		flat: Number(r?.flat ?? 0)
	};
}

/** NRR/GRR as of the refresh date D, with the date. */
export interface NrrGrrAsOf extends NrrGrr {
	readonly asOf: string;
}

/**
 * NRR and GRR as of the refresh date D over trailing windows (METRICS.md): base = accounts with
 * revenue in (D − 24 months, D − 12 months]; current = their revenue in (D − 12 months, D].
 */
export async function nrrGrr(db: Db, opts: RetentionReadOptions = {}): Promise<NrrGrrAsOf> {
	const { ref, params } = await readContext(db, opts);
	const row = await queryOne<NrrRow>(db, loadQuery('retention-nrr-grr'), params, {
		tag: 'retention:nrr-grr'
	});
	return { asOf: ref.asOf, ...toNrrGrr(row) };
}

export interface NrrTrendOptions extends RetentionReadOptions {
	/** How many month ends, ending with the as-of month (default 12). */
	readonly months?: number;
}

/** One month end of the NRR/GRR trend. */
export interface NrrGrrMonth extends NrrGrr {
	/** YYYY-MM-DD, first day of the month whose end the windows end on. */
	readonly month: string;
	/** The as-of month: its current window counts to the refresh date only. */
	readonly partial: boolean;
}

const MAX_MONTHS = 240;

/**
 * NRR and GRR by month end, oldest first. Unlike nrrGrr (trailing windows ending on D), the trend
 * uses calendar-month windows: for month m the current window is the 12 calendar months ending
 * with m and the base window the 12 before them; so the as-of month's point (flagged partial)
 * counts its own month to date and differs from nrrGrr unless D is a month end.
 */
export async function nrrGrrTrend(db: Db, opts: NrrTrendOptions = {}): Promise<NrrGrrMonth[]> {
	const months = opts.months ?? 12;
	if (!Number.isInteger(months) || months < 1 || months > MAX_MONTHS) {
		throw new AnalyticsError(
			`months must be a whole number from 1 to ${MAX_MONTHS}; ${months} was asked for.`
		);
	}
	const { ref, params } = await readContext(db, opts);
	const last = periodStart(ref.asOf, 'month');
	const first = addPeriods(last, -(months - 1), 'month');
	const rows = await queryRows<NrrRow & { month: string }>(
		db,
		loadQuery('retention-nrr-grr-trend'),
		{ ...params, first_month: first, months },
		{ tag: 'retention:nrr-grr-trend' }
	);
	if (!rows.length) await assertFactsKept(db, ref);
	const byMonth = new Map(rows.map((r) => [r.month, r]));
	return Array.from({ length: months }, (_, i) => {
		const month = addPeriods(first, i, 'month');
		return { month, partial: month === last, ...toNrrGrr(byMonth.get(month)) };
	});
}

export const NRR_ACCOUNT_KINDS = ['churned', 'contracted', 'expanded', 'flat'] as const;
export type NrrAccountKind = (typeof NRR_ACCOUNT_KINDS)[number];

export interface NrrAccountsOptions extends RetentionReadOptions, PageOptions {
	readonly kind: NrrAccountKind;
}

/** A base account of NRR/GRR as of D; revenues are decimal strings. */
export interface NrrAccount {
	readonly accountId: string;
	readonly name: string;
	readonly ownerEmail: string;
	readonly segment: string;
	/** Revenue in (D − 24 months, D − 12 months]. */
	readonly baseRevenue: string;
	/** Revenue in (D − 12 months, D]. */
	readonly currentRevenue: string;
}

/** The base accounts that churned, contracted, expanded or stayed flat; largest change first. */
export async function nrrGrrAccounts(
	db: Db,
	opts: NrrAccountsOptions
): Promise<AccountPage<NrrAccount>> {
	const kind = checkOneOf(opts.kind, NRR_ACCOUNT_KINDS, 'kind');
	const page = pageParams(opts);
	const { params } = await readContext(db, opts);
	const rows = await queryRows<{
		account_id: string;
		name: string;
		owner_email: string;
		segment: string;
		base_revenue: string;
		current_revenue: string;
		total: number;
	}>(
		db,
		loadQuery('retention-nrr-grr-accounts'),
		{ ...params, kind, ...page },
		{ tag: `retention:nrr-accounts-${kind}` }
	);
	return {
		total: Number(rows[0]?.total ?? 0),
		rows: rows.map((r) => ({
			accountId: r.account_id,
			name: r.name,
			ownerEmail: r.owner_email,
			segment: r.segment,
			baseRevenue: money(String(r.base_revenue)),
			currentRevenue: money(String(r.current_revenue))
		}))
	};
}
