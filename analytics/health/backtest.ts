/**
 * The health score's backtest: for past as-of dates D, score every account active on D with the
 * same definition the refresh stores (data through D only), label whether it churned within
 * (D, D + horizon] judged with the later data, and measure how well 100 − score predicts churn.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import { tenantSettings, type AnalyticsSettings } from '../config.ts';
import { AnalyticsError } from '../errors.ts';
import { defaultAsOf } from '../ltv/inputs.ts';
import { checkDay as checkDate } from './dates.ts';
import { requireRefresh } from '../refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from '../scope.ts';
import { bandStats, defaultBacktestDates, rocAuc, type BandStats } from './metrics.ts';
import { HEALTH_BANDS, type HealthBand } from './read.ts';
import { backtestBinsSql, churnLabelParams, healthScoreParams } from './score-query.ts';

export interface HealthBacktestOptions {
	/** YYYY-MM-DD dates; default the month-ends of the last 12 months whose horizon ends in the data. */
	readonly asOfDates?: readonly string[];
	/** Days after D in which a churn counts (default 90). */
	readonly horizonDays?: number;
	readonly filters?: AccountFilters;
	readonly scope?: AccountScope;
}

export interface HealthBacktestDate {
	readonly asOf: string;
	/** Accounts active on asOf (after filters and scope). */
	readonly n: number;
	/** Of them, those that churned within the horizon. */
	readonly churned: number;
	/** ROC AUC of 100 − score over the accounts with a score; null without churners or stayers. */
	readonly auc: number | null;
	/** Every band in HEALTH_BANDS order ('none': no score). */
	readonly bands: readonly (BandStats & { readonly band: HealthBand })[];
}

export interface HealthBacktest {
	readonly horizonDays: number;
	/** The latest refresh, whose accounts (and their attributes for the filters) are scored. */
	readonly refreshId: string;
	readonly currency: string;
	readonly dates: readonly HealthBacktestDate[];
}

export interface ChurnLabel {
	readonly accountId: string;
	/** Active on the as-of date (METRICS.md, "Churned as of D"). */
	readonly active: boolean;
	/** The next churn day (YYYY-MM-DD) judged with the data through asOf + horizon, or null. */
	readonly churnDay: string | null;
	/** Active on asOf and churned within (asOf, asOf + horizon]. */
	readonly churned: boolean;
}

/**
 * Churn labels of sql/queries/health-churn-labels.sql for one date: one row per account with a
 * counted order or subscription through asOf. For the churn model's training labels too.
 */
export async function churnLabels(
	db: Db,
	opts: {
		readonly asOf: string;
		readonly horizonDays: number;
		readonly currency: string;
		readonly settings?: AnalyticsSettings;
	}
): Promise<ChurnLabel[]> {
	const settings = opts.settings ?? (await tenantSettings(db));
	const rows = await queryRows<Record<string, unknown>>(
		db,
		loadQuery('health-churn-labels'),
		churnLabelParams({
			asOf: checkDate(opts.asOf, 'The as-of date'),
			horizonDays: checkHorizon(opts.horizonDays),
			tz: db.timezone,
			currency: opts.currency,
			settings
		}),
		{ tag: 'health:churn-labels' }
	);
	return rows.map((r) => ({
		accountId: String(r.account_id),
		active: Number(r.active) === 1,
		churnDay: r.churn_day === null ? null : String(r.churn_day),
		churned: Number(r.churned) === 1
	}));
}

function checkHorizon(days: number): number {
	if (!Number.isInteger(days) || days < 1 || days > 3650) {
		throw new AnalyticsError(`Horizon ${days} days: use whole days from 1 to 3650 (default 90).`);
	}
	return days;
}

export async function healthBacktest(
	db: Db,
	opts: HealthBacktestOptions = {}
): Promise<HealthBacktest> {
	const horizonDays = checkHorizon(opts.horizonDays ?? 90);
	const settings = await tenantSettings(db);
	const refresh = await requireRefresh(db);
	const tz = db.timezone;
	let dates = opts.asOfDates?.map((d) => checkDate(d, 'A backtest date'));
	if (!dates) {
		const lastDay = await defaultAsOf(db, tz);
		dates = lastDay ? defaultBacktestDates(lastDay, horizonDays) : [];
		if (!dates.length) {
			throw new AnalyticsError(
				`No month-end of the last 12 months has ${horizonDays} days of data after it (data end ${lastDay ?? 'nowhere'}): load more history, shorten the horizon, or pass the dates to test.`
			);
		}
	}
	const sql = backtestBinsSql();
	const filter = accountFilterParams(opts.filters, opts.scope);
	const out: HealthBacktestDate[] = [];
	for (const asOf of [...new Set(dates)].sort()) {
		const common = { asOf, tz, currency: refresh.currency, settings };
		const bins = await queryRows<{
			score: number | null;
			band: string;
			churned: number;
			accounts: number;
		}>(
			db,
			sql,
			{
				...healthScoreParams({ ...common, refreshId: refresh.refreshId, activeOnly: false }),
				...churnLabelParams({ ...common, horizonDays }),
				...filter
			},
			{ tag: 'health:backtest' }
		);
		const perBand = HEALTH_BANDS.map((band) => {
			const inBand = bins.filter((b) => b.band === band);
			return {
				band,
				accounts: inBand.reduce((s, b) => s + Number(b.accounts), 0),
				churned: inBand.reduce((s, b) => s + (Number(b.churned) ? Number(b.accounts) : 0), 0)
			};
		});
		const scored = bins.filter((b) => b.score !== null);
		out.push({
			asOf,
			n: perBand.reduce((s, b) => s + b.accounts, 0),
			churned: perBand.reduce((s, b) => s + b.churned, 0),
			auc: rocAuc(
				scored.map((b) => ({
					risk: 100 - Number(b.score),
					positives: Number(b.churned) ? Number(b.accounts) : 0,
					negatives: Number(b.churned) ? 0 : Number(b.accounts)
				}))
			),
			bands: bandStats(perBand) as (BandStats & { band: HealthBand })[]
		});
	}
	return { horizonDays, refreshId: refresh.refreshId, currency: refresh.currency, dates: out };
}
