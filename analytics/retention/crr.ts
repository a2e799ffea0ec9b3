/**
 * Customer retention rate and churn rate per period (METRICS.md, "CRR", "Churn rate"): activity
 * from the month rows of account_periods, churns from account_churn_events (refresh step
 * "retention"), both of one refresh.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import { money } from './money.ts';
import {
	addPeriods,
	checkGrain,
	checkOneOf,
	checkPeriodStart,
	CRR_GRAINS,
	periodStart,
	type CrrGrain
} from './periods.ts';
import {
	assertFactsKept,
	pageParams,
	readContext,
	type AccountPage,
	type PageOptions,
	type RetentionReadOptions
} from './read.ts';

export interface CrrOptions extends RetentionReadOptions {
	readonly grain: CrrGrain;
	/** How many periods, ending with the as-of period (default 12 months, 8 quarters, 5 years). */
	readonly periods?: number;
}

/** One period of the CRR trend. */
export interface CrrPoint {
	/** YYYY-MM-DD, first day of the period. */
	readonly period: string;
	/** Accounts active in the previous period (active at the start of this one). */
	readonly s: number;
	/** Accounts active in the period. */
	readonly e: number;
	/** Accounts whose first-ever activity is in the period. */
	readonly n: number;
	/** (E − N) ÷ S; null when S = 0. Reactivated accounts count in E − N, as the formula has it. */
	readonly crr: number | null;
	/** Accounts whose churn day falls in the period (each account once). */
	readonly churned: number;
	/** churned ÷ S; null when S = 0. */
	readonly churnRate: number | null;
	/** The period is the as-of period: counts to date. */
	readonly partial: boolean;
}

const DEFAULT_PERIODS: Record<CrrGrain, number> = { month: 12, quarter: 8, year: 5 };
const MAX_PERIODS = 600;

/** CRR, churn counts and churn rate per period, oldest first, ending with the as-of period. */
export async function crrTrend(db: Db, opts: CrrOptions): Promise<CrrPoint[]> {
	const grain = checkGrain(opts.grain, CRR_GRAINS);
	const periods = opts.periods ?? DEFAULT_PERIODS[grain];
	if (!Number.isInteger(periods) || periods < 1 || periods > MAX_PERIODS) {
		throw new AnalyticsError(
			`periods must be a whole number from 1 to ${MAX_PERIODS}; ${periods} was asked for.`
		);
	}
	const { ref, params } = await readContext(db, opts);
	const last = periodStart(ref.asOf, grain);
	const first = addPeriods(last, -(periods - 1), grain);
	const raw = await queryRows<{ period: string; e: number; n: number; churned: number }>(
		db,
		loadQuery('retention-crr'),
		{ ...params, grain, from: addPeriods(first, -1, grain), to: addPeriods(last, 1, grain) },
		{ tag: `retention:crr-${grain}` }
	);
	if (!raw.length) await assertFactsKept(db, ref);
	const byPeriod = new Map(raw.map((r) => [r.period, r]));
	const out: CrrPoint[] = [];
	for (let i = 0; i < periods; i++) {
		const period = addPeriods(first, i, grain);
		const s = Number(byPeriod.get(addPeriods(period, -1, grain))?.e ?? 0);
		const row = byPeriod.get(period);
		const e = Number(row?.e ?? 0);
		const n = Number(row?.n ?? 0);
		const churned = Number(row?.churned ?? 0);
		out.push({
			period,
			s,
			e,
			n,
			crr: s ? (e - n) / s : null,
			churned,
			churnRate: s ? churned / s : null,
			partial: period === last
		});
	}
	return out;
}

export const CRR_ACCOUNT_KINDS = ['start', 'active', 'retained', 'new', 'lost', 'churned'] as const;
/**
 * start = S (active in the previous period), active = E, new = N, retained = E − N (active, first
 * activity earlier), lost = in S but not active in the period, churned = churn day in the period.
 */
export type CrrAccountKind = (typeof CRR_ACCOUNT_KINDS)[number];

export interface CrrAccountsOptions extends RetentionReadOptions, PageOptions {
	readonly grain: CrrGrain;
	/** YYYY-MM-DD, the first day of the period. */
	readonly period: string;
	readonly kind: CrrAccountKind;
}

/**
 * An account behind a CRR number. revenue: its revenue in the period (decimal string; null for
 * kind 'churned'). For 'churned': its (latest) churn day in the period, the last activity before
 * it and the day it came back, if it did (YYYY-MM-DD or null); null for the other kinds.
 */
export interface CrrAccount {
	readonly accountId: string;
	readonly name: string;
	readonly ownerEmail: string;
	readonly segment: string;
	readonly revenue: string | null;
	readonly churnDay: string | null;
	readonly lastActivity: string | null;
	readonly returnedOn: string | null;
}

/** The accounts behind one number of a CRR period, largest revenue (or latest churn) first. */
export async function crrAccounts(
	db: Db,
	opts: CrrAccountsOptions
): Promise<AccountPage<CrrAccount>> {
	const grain = checkGrain(opts.grain, CRR_GRAINS);
	const kind = checkOneOf(opts.kind, CRR_ACCOUNT_KINDS, 'kind');
	const period = checkPeriodStart(opts.period, grain, 'The period');
	const page = pageParams(opts);
	const { params } = await readContext(db, opts);
	const range = { from: period, to: addPeriods(period, 1, grain) };
	if (kind === 'churned') {
		const rows = await queryRows<{
			account_id: string;
			name: string;
			owner_email: string;
			segment: string;
			churn_day: string;
			last_activity: string;
			returned_on: string | null;
			total: number;
		}>(
			db,
			loadQuery('retention-churned-accounts'),
			{ ...params, ...range, ...page },
			{
				tag: 'retention:churned-accounts'
			}
		);
		return {
			total: Number(rows[0]?.total ?? 0),
			rows: rows.map((r) => ({
				accountId: r.account_id,
				name: r.name,
				ownerEmail: r.owner_email,
				segment: r.segment,
				revenue: null,
				churnDay: r.churn_day,
				lastActivity: r.last_activity,
				returnedOn: r.returned_on
			}))
		};
	}
	const rows = await queryRows<{
		account_id: string;
		name: string;
		owner_email: string;
		segment: string;
		revenue: string;
		total: number;
	}>(
		db,
		loadQuery('retention-crr-accounts'),
		{ ...params, ...range, prev_from: addPeriods(period, -1, grain), kind, ...page },
		{ tag: `retention:crr-accounts-${kind}` }
	);
	return {
		total: Number(rows[0]?.total ?? 0),
		rows: rows.map((r) => ({
			accountId: r.account_id,
			name: r.name,
			ownerEmail: r.owner_email,
			segment: r.segment,
			revenue: money(String(r.revenue)),
			churnDay: null,
			lastActivity: null,
			returnedOn: null
		}))
	};
}
