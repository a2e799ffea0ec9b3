/**
 * The calibration/holdout check users ask for before they trust a predicted LTV: fit the models on
 * the history up to a calibration end, forecast each customer's repeat purchases in the holdout
 * (calibration end, holdout end] with the conditional expectation E[Y(t) | x, t_x, T], and compare
 * with what they actually bought — by calibration frequency (x = 0 … 6, 7+), in total, and for
 * spend (Gamma-Gamma's expected order value against the holdout's actual mean order value); and,
 * over calibration and holdout together, the paper's weekly cumulative tracking curve (tracking.ts).
 * Nothing is stored. Same accounts, counting and fits as the refresh (refresh.ts).
 */
import type { Db } from '../../sql/client.ts';
import { ltvSettings } from '../config.ts';
import {
	checkDate,
	daysBetween,
	defaultAsOf,
	LtvError,
	readHoldoutActuals,
	readHoldoutTracking,
	readPurchaseSummary,
	readSubscriptionAccounts,
	resolveCurrency
} from './inputs.ts';
import type { FitReport } from './refresh.ts';
import { scoreCustomers } from './score.ts';
import { fitTenantModels, type ModelFit } from './tenant-fit.ts';
import { trackingCurve, type CumulativeComparison, type TrackingWeek } from './tracking.ts';

export interface HoldoutOptions {
	/** Last day of the calibration period (YYYY-MM-DD), inclusive. */
	readonly calibrationEnd: string;
	/** Last day of the holdout, inclusive; default the last day with data. */
	readonly holdoutEnd?: string;
	readonly tz?: string;
}

/** Mean repeat purchases per customer of one calibration-frequency bucket. */
export interface HoldoutBucket {
	/** '0' … '6', '7+'. */
	readonly bucket: string;
	readonly customers: number;
	readonly predicted: number;
	readonly actual: number;
}

export interface HoldoutComparison {
	readonly customers: number;
	readonly predicted: number;
	readonly actual: number;
	/** (predicted − actual) ÷ actual × 100; null when actual is 0. */
	readonly errorPercent: number | null;
}

export interface HoldoutReport {
	readonly calibrationEnd: string;
	readonly holdoutEnd: string;
	readonly holdoutWeeks: number;
	readonly currency: string;
	readonly fits: FitReport[];
	readonly buckets: HoldoutBucket[];
	/** Total repeat purchases in the holdout over all customers, predicted vs actual. */
	readonly total: HoldoutComparison;
	/**
	 * Mean value per purchase, predicted (E[M | x, m_x]) vs actual in the holdout, over customers
	 * with a repeat purchase in both periods; null without a usable spend fit.
	 */
	readonly spend: HoldoutComparison | null;
	/**
	 * Cumulative repeat purchases of the calibration cohort, actual vs E[X] summed over customers
	 * (Fader, Hardie & Lee 2005, fig. 2), at the end of every week from the cohort's first purchase
	 * day to the holdout end.
	 */
	readonly tracking: TrackingWeek[];
	/** The tracking curve exactly at the calibration end and at the holdout end. */
	readonly cumulative: {
		readonly calibrationEnd: CumulativeComparison;
		readonly holdoutEnd: CumulativeComparison;
	};
	readonly warnings: string[];
}

const BUCKETS = ['0', '1', '2', '3', '4', '5', '6', '7+'];

const percent = (predicted: number, actual: number) =>
	actual === 0 ? null : ((predicted - actual) / actual) * 100;

function report(fit: ModelFit<object>): FitReport {
	return {
		model: fit.model,
		status: fit.status,
		params: fit.params ? { ...(fit.params as Record<string, number>) } : {},
		logLikelihood: fit.logLikelihood,
		n: fit.n,
		converged: fit.converged,
		iterations: fit.iterations,
		message: fit.message
	};
}

export async function holdoutCheck(db: Db, options: HoldoutOptions): Promise<HoldoutReport> {
	const settings = await ltvSettings(db);
	if (settings.businessModel === 'subscriptions') {
		throw new LtvError(
			'The tenant setting business_model is subscriptions: no purchase model is fitted, so there is nothing to check on a holdout.'
		);
	}
	const tz = options.tz ?? db.timezone;
	const calibrationEnd = checkDate(options.calibrationEnd, 'The calibration end');
	const lastDay = await defaultAsOf(db, tz);
	if (lastDay === null) {
		throw new LtvError('No counted order or subscription yet: load orders first (tenure ingest).');
	}
	const holdoutEnd = options.holdoutEnd
		? checkDate(options.holdoutEnd, 'The holdout end')
		: lastDay;
	if (holdoutEnd <= calibrationEnd) {
		throw new LtvError(
			`The holdout end ${holdoutEnd} must be after the calibration end ${calibrationEnd}${options.holdoutEnd ? '' : ' (it defaults to the last day with data)'}: give --holdout-end a later date or an earlier --calibration-end.`
		);
	}
	const currency = await resolveCurrency(db, holdoutEnd, tz, settings);
	if (currency === null) {
		throw new LtvError(
			`No counted order on or before ${holdoutEnd}: load orders first (tenure ingest).`
		);
	}

	const summary = await readPurchaseSummary(db, { asOf: calibrationEnd, tz, currency, settings });
	const subscribers =
		settings.businessModel === 'orders'
			? new Set<string>()
			: new Set(
					(await readSubscriptionAccounts(db, { asOf: calibrationEnd, currency, settings })).map(
						(s) => s.accountId
					)
				);
	const rowList: number[] = [];
	summary.accountId.forEach((id, i) => {
		if (!subscribers.has(id)) rowList.push(i);
	});
	const rows = Int32Array.from(rowList);
	const fits = fitTenantModels(summary, rows, calibrationEnd);
	if (fits.bgnbd.status !== 'fitted' || !fits.bgnbd.params) {
		throw new LtvError(fits.bgnbd.message);
	}

	const holdoutWeeks = daysBetween(calibrationEnd, holdoutEnd) / 7;
	const pick = <T extends Int32Array | Float64Array>(source: T, into: T): T => {
		rows.forEach((row, k) => (into[k] = source[row]!));
		return into;
	};
	const x = pick(summary.x, new Int32Array(rows.length));
	const mx = pick(summary.mx, new Float64Array(rows.length));
	const gammaGamma = fits.gammaGamma.status === 'fitted' ? fits.gammaGamma.params : null;
	const scores = scoreCustomers(
		{
			x,
			txDays: pick(summary.txDays, new Int32Array(rows.length)),
			TDays: pick(summary.TDays, new Int32Array(rows.length)),
			mx
		},
		{
			bgnbd: fits.bgnbd.params,
			gammaGamma,
			horizons: [holdoutWeeks],
			ltvHorizon: 0,
			margin: 1
		}
	);
	const actuals = await readHoldoutActuals(db, { calibrationEnd, holdoutEnd, tz, currency });
	const tracking = trackingCurve(
		fits.bgnbd.params,
		await readHoldoutTracking(db, {
			calibrationEnd,
			holdoutEnd,
			tz,
			currency,
			excludeSubscribers: settings.businessModel !== 'orders'
		}),
		{ calibrationEnd, holdoutEnd }
	);

	const sums = BUCKETS.map(() => ({ customers: 0, predicted: 0, actual: 0 }));
	let spendCustomers = 0;
	let spendPredicted = 0;
	let spendActual = 0;
	rows.forEach((row, k) => {
		if (!Number.isFinite(scores.expected[0]![k]!)) return; // counted in scores.unscored
		const id = summary.accountId[row]!;
		const days = actuals.days.get(id) ?? 0;
		const bucket = sums[Math.min(x[k]!, BUCKETS.length - 1)]!;
		bucket.customers++;
		bucket.predicted += scores.expected[0]![k]!;
		bucket.actual += days;
		const value = scores.expectedValue[k]!;
		if (x[k]! > 0 && days > 0 && Number.isFinite(value)) {
			spendCustomers++;
			spendPredicted += value;
			spendActual += actuals.revenue.get(id)! / days;
		}
	});
	const predicted = sums.reduce((s, b) => s + b.predicted, 0);
	const actual = sums.reduce((s, b) => s + b.actual, 0);
	return {
		calibrationEnd,
		holdoutEnd,
		holdoutWeeks,
		currency,
		fits: [report(fits.bgnbd), report(fits.gammaGamma)],
		buckets: sums.map((b, i) => ({
			bucket: BUCKETS[i]!,
			customers: b.customers,
			predicted: b.customers ? b.predicted / b.customers : 0,
			actual: b.customers ? b.actual / b.customers : 0
		})),
		total: {
			customers: rows.length - scores.unscored,
			predicted,
			actual,
			errorPercent: percent(predicted, actual)
		},
		spend: spendCustomers
			? {
					customers: spendCustomers,
					predicted: spendPredicted / spendCustomers,
					actual: spendActual / spendCustomers,
					errorPercent: percent(spendPredicted, spendActual)
				}
			: null,
		tracking: tracking.weeks,
		cumulative: { calibrationEnd: tracking.calibrationEnd, holdoutEnd: tracking.holdoutEnd },
		warnings: [
			fits.gammaGamma.message,
			scores.unscored
				? `${scores.unscored.toLocaleString('en-US')} customers could not be scored (beyond the numerical range of the model) and are left out of the comparison.`
				: ''
		].filter((m) => m !== '')
	};
}
