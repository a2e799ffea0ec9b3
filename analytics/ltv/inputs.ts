/**
 * What the LTV refresh and the holdout check read from ClickHouse: the as-of date, the reporting
 * currency, the per-account purchase summary (computed in SQL, so it scales with the engine) and
 * the subscription accounts with the churn rate of the contractual LTV.
 */
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import type { Db } from '../../sql/client.ts';
import { command, loadQuery, queryColumns, queryOne, queryRows } from '../../sql/query.ts';
import type { LtvSettings } from '../config.ts';

/** A problem the user can act on (a date, a setting, missing data): printed without a trace. */
export class LtvError extends Error {
	override name = 'LtvError';
}

/** Customers with a repeat purchase below which the models are not fitted (too little to learn). */
export const MIN_REPEAT_CUSTOMERS = 50;

const STATUSES = [...REVENUE_STATUSES];

export function checkDate(value: string, what: string): string {
	const d = new Date(`${value}T00:00:00Z`);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime())) {
		throw new LtvError(`${what} '${value}' is not a date: write it as YYYY-MM-DD.`);
	}
	if (d.toISOString().slice(0, 10) !== value) {
		throw new LtvError(`${what} '${value}' is not a calendar date.`);
	}
	return value;
}

/** Days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
	return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** METRICS.md: as of today, or the last day with data when the data end earlier. */
export async function defaultAsOf(db: Db, tz: string): Promise<string | null> {
	const row = await queryOne<{ day: string }>(
		db,
		loadQuery('ltv-last-day'),
		{ tz, statuses: STATUSES },
		{ tag: 'ltv:last-day' }
	);
	return row && row.day !== '1970-01-01' ? row.day : null;
}

/**
 * The currency to value in: the configured reporting currency, else the only one in the data.
 * null when there is no counted order or subscription by `asOf`.
 */
export async function resolveCurrency(
	db: Db,
	asOf: string,
	tz: string,
	settings: LtvSettings
): Promise<string | null> {
	if (settings.reportingCurrency) return settings.reportingCurrency;
	const rows = await queryRows<{ currency: string; n: number }>(
		db,
		loadQuery('ltv-currencies'),
		{ as_of: asOf, tz, statuses: STATUSES },
		{ tag: 'ltv:currencies' }
	);
	if (rows.length > 1) {
		const list = rows.map((r) => `${r.currency} (${Number(r.n).toLocaleString('en-US')})`);
		throw new LtvError(
			`Orders and subscriptions up to ${asOf} are in several currencies: ${list.join(', ')}. Amounts are never added across currencies: set the tenant setting reporting_currency to the one to value in.`
		);
	}
	return rows[0]?.currency ?? null;
}

/** The per-account summary, one entry per account with a counted order by as_of. */
export interface PurchaseSummary {
	readonly accountId: string[];
	readonly x: Int32Array;
	readonly txDays: Int32Array;
	readonly TDays: Int32Array;
	/** NaN when x = 0. */
	readonly mx: Float64Array;
	/** Decimal strings, exact. */
	readonly revenue: string[];
	readonly grossProfit: string[];
	readonly firstDay: string[];
	readonly lastDay: string[];
	readonly nextOrderDue: (string | null)[];
	readonly overdue: Uint8Array;
}

type SummaryRow = {
	account_id: string;
	x: number;
	tx_days: number;
	T_days: number;
	m_x: number | null;
	revenue: string;
	gross_profit: string;
	first_purchase: string;
	last_purchase: string;
	next_order_due: string | null;
	overdue: number;
};

/** What the models need of each account: the part of the summary JavaScript reads. */
export type PurchaseHistories = Pick<
	PurchaseSummary,
	'accountId' | 'x' | 'txDays' | 'TDays' | 'mx'
>;

type HistoryRow = Pick<SummaryRow, 'account_id' | 'x' | 'tx_days' | 'T_days' | 'm_x'>;

function histories(c: { [K in keyof HistoryRow]: HistoryRow[K][] }): PurchaseHistories {
	return {
		accountId: c.account_id,
		x: Int32Array.from(c.x, Number),
		txDays: Int32Array.from(c.tx_days, Number),
		TDays: Int32Array.from(c.T_days, Number),
		mx: Float64Array.from(c.m_x, (v) => (v === null ? NaN : Number(v)))
	};
}

function summaryParams(opts: {
	asOf: string;
	tz: string;
	currency: string;
	settings: LtvSettings;
}) {
	return {
		as_of: opts.asOf,
		tz: opts.tz,
		currency: opts.currency,
		statuses: STATUSES,
		margin: opts.settings.margin,
		overdue_factor: opts.settings.overdueFactor
	};
}

export async function readPurchaseSummary(
	db: Db,
	opts: { asOf: string; tz: string; currency: string; settings: LtvSettings }
): Promise<PurchaseSummary> {
	const { columns: c } = await queryColumns<SummaryRow>(
		db,
		loadQuery('ltv-summary'),
		summaryParams(opts),
		{ tag: 'ltv:summary' }
	);
	return {
		...histories(c),
		revenue: c.revenue.map(String),
		grossProfit: c.gross_profit.map(String),
		firstDay: c.first_purchase,
		lastDay: c.last_purchase,
		nextOrderDue: c.next_order_due,
		overdue: Uint8Array.from(c.overdue, Number)
	};
}

/**
 * The refresh's summary (ltv-summary.sql) computed once into the scratch table `table` (dropped by
 * the caller): account_ltv is then written from it joined with the model outputs
 * (ltv-refresh-write.sql), so the descriptive columns of a million accounts (revenue, gross profit,
 * dates) stay in the engine, and JavaScript reads only the models' part (readPurchaseHistories).
 */
export async function stagePurchaseSummary(
	db: Db,
	table: string,
	opts: { asOf: string; tz: string; currency: string; settings: LtvSettings }
): Promise<void> {
	const params = { ...summaryParams(opts), summary: table };
	const summary = loadQuery('ltv-summary');
	// ltv-summary.sql is one SELECT: its columns give the table its structure (EMPTY: no rows yet),
	// and the INSERT fills it with a log tag (DDL takes no settings).
	const create = `CREATE TABLE {summary:Identifier} ENGINE = Memory EMPTY AS ${summary}`;
	await command(db, create, params, { tag: 'ltv:summary-table' });
	await command(db, `INSERT INTO {summary:Identifier} ${summary}`, params, { tag: 'ltv:summary' });
}

/** The models' columns of a summary staged by stagePurchaseSummary, in account order. */
export async function readPurchaseHistories(db: Db, table: string): Promise<PurchaseHistories> {
	const { columns } = await queryColumns<HistoryRow>(
		db,
		loadQuery('ltv-refresh-histories'),
		{ summary: table },
		{ tag: 'ltv:histories' }
	);
	return histories(columns);
}

export interface SubscriptionAccount {
	readonly accountId: string;
	/** Decimal string: the MRR valued (active, or within the renewal grace period). */
	readonly mrr: string;
	readonly firstStart: string;
}

export async function readSubscriptionAccounts(
	db: Db,
	opts: { asOf: string; currency: string; settings: LtvSettings }
): Promise<SubscriptionAccount[]> {
	const rows = await queryRows<{ account_id: string; valued_mrr: string; first_start: string }>(
		db,
		loadQuery('ltv-subscription-accounts'),
		{ as_of: opts.asOf, currency: opts.currency, grace_days: opts.settings.renewalGraceDays },
		{ tag: 'ltv:subscriptions' }
	);
	return rows.map((r) => ({
		accountId: r.account_id,
		mrr: String(r.valued_mrr),
		firstStart: r.first_start
	}));
}

export interface SubscriptionChurn {
	/** Churn events in the 12 month-long windows before as_of. */
	readonly churned: number;
	/** Σ accounts active at each window's start (account-months at risk). */
	readonly atRisk: number;
	/** churned ÷ atRisk; null without any account at risk. */
	readonly monthlyRate: number | null;
}

export async function readSubscriptionChurn(
	db: Db,
	opts: { asOf: string; currency: string; settings: LtvSettings }
): Promise<SubscriptionChurn> {
	const row = await queryOne<{ churned: number; at_risk: number }>(
		db,
		loadQuery('ltv-subscription-churn'),
		{ as_of: opts.asOf, currency: opts.currency, grace_days: opts.settings.renewalGraceDays },
		{ tag: 'ltv:churn' }
	);
	const churned = Number(row?.churned ?? 0);
	const atRisk = Number(row?.at_risk ?? 0);
	return { churned, atRisk, monthlyRate: atRisk > 0 ? churned / atRisk : null };
}

export interface HoldoutActuals {
	readonly days: Map<string, number>;
	readonly revenue: Map<string, number>;
}

export async function readHoldoutActuals(
	db: Db,
	opts: { calibrationEnd: string; holdoutEnd: string; tz: string; currency: string }
): Promise<HoldoutActuals> {
	const rows = await queryRows<{
		account_id: string;
		holdout_days: number;
		holdout_revenue: number;
	}>(
		db,
		loadQuery('ltv-holdout-actuals'),
		{
			calibration_end: opts.calibrationEnd,
			holdout_end: opts.holdoutEnd,
			tz: opts.tz,
			currency: opts.currency,
			statuses: STATUSES
		},
		{ tag: 'ltv:holdout-actuals' }
	);
	return {
		days: new Map(rows.map((r) => [r.account_id, Number(r.holdout_days)])),
		revenue: new Map(rows.map((r) => [r.account_id, Number(r.holdout_revenue)]))
	};
}

/** Per local day of the holdout check's cohort: first purchases and repeat purchase days. */
export async function readHoldoutTracking(
	db: Db,
	opts: {
		calibrationEnd: string;
		holdoutEnd: string;
		tz: string;
		currency: string;
		excludeSubscribers: boolean;
	}
): Promise<{ day: string[]; firstPurchases: number[]; repeatPurchases: number[] }> {
	const { columns: c } = await queryColumns<{
		day: string;
		first_purchases: number;
		repeat_purchases: number;
	}>(
		db,
		loadQuery('ltv-holdout-tracking'),
		{
			calibration_end: opts.calibrationEnd,
			holdout_end: opts.holdoutEnd,
			tz: opts.tz,
			currency: opts.currency,
			statuses: STATUSES,
			exclude_subscribers: opts.excludeSubscribers
		},
		{ tag: 'ltv:holdout-tracking' }
	);
	return {
		day: c.day,
		firstPurchases: c.first_purchases.map(Number),
		repeatPurchases: c.repeat_purchases.map(Number)
	};
}
