/**
 * The weekly cumulative tracking curve of Fader, Hardie & Lee (2005, "Counting Your Customers the
 * Easy Way", fig. 2): for every week since the cohort's first purchase, the repeat purchases the
 * cohort actually made so far against the model's expectation Σᵢ E[X(t − tᵢ)], where tᵢ is customer
 * i's first purchase and E[X(t)] the unconditional expected repeat purchases of a new customer
 * (eq. 9). Unlike the holdout comparison (holdout.ts), which conditions on each customer's history,
 * this only needs the fitted parameters and how many customers were acquired on each day.
 *
 * Times are whole local days counted as the calibration summary counts them: customer i is
 * (day − first day) / 7 weeks old at the end of a day, so at the calibration end each customer's age
 * is its T and the curve there is Σᵢ E[X(Tᵢ)] against Σᵢ xᵢ.
 */
import { expectedTransactionsNew, type BgnbdParams } from './bgnbd.ts';
import { daysBetween } from './inputs.ts';

/** Per local day: first purchases of the cohort and its repeat purchase days (one per customer). */
export interface TrackingDays {
	/** YYYY-MM-DD, ascending; days with neither can be left out. */
	readonly day: readonly string[];
	readonly firstPurchases: ArrayLike<number>;
	readonly repeatPurchases: ArrayLike<number>;
}

export interface TrackingWeek {
	/** 1 for the week starting on the cohort's first purchase day. */
	readonly week: number;
	/** Last day of the week (YYYY-MM-DD), inclusive; the holdout end for a shorter last week. */
	readonly weekEnd: string;
	/** Repeat purchases made by the end of weekEnd. */
	readonly actualCumulative: number;
	/** Σᵢ E[X((weekEnd − first dayᵢ) / 7)] over customers acquired by weekEnd. */
	readonly expectedCumulative: number;
}

/** The cumulative curve at one day. */
export interface CumulativeComparison {
	readonly day: string;
	readonly actual: number;
	readonly expected: number;
	/** (expected − actual) ÷ actual × 100; null when actual is 0. */
	readonly errorPercent: number | null;
}

export interface TrackingCurve {
	/** The cohort's first purchase day: the start of week 1. */
	readonly start: string | null;
	readonly weeks: TrackingWeek[];
	readonly calibrationEnd: CumulativeComparison;
	readonly holdoutEnd: CumulativeComparison;
}

function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The tracking curve from the per-day counts, up to `holdoutEnd`; the cumulative error is also
 * given exactly at `calibrationEnd` and `holdoutEnd`, whether or not they end a week.
 */
export function trackingCurve(
	params: BgnbdParams,
	days: TrackingDays,
	options: { readonly calibrationEnd: string; readonly holdoutEnd: string }
): TrackingCurve {
	const { calibrationEnd, holdoutEnd } = options;
	const start = days.day[0];
	const empty = (day: string): CumulativeComparison => ({
		day,
		actual: 0,
		expected: 0,
		errorPercent: null
	});
	if (start === undefined || start > holdoutEnd) {
		return {
			start: null,
			weeks: [],
			calibrationEnd: empty(calibrationEnd),
			holdoutEnd: empty(holdoutEnd)
		};
	}
	const span = daysBetween(start, holdoutEnd);
	// Counts by day offset from the start, and E[X(d / 7)] for every offset: a customer's age at
	// the end of a day is a whole number of days, so eq. 9 is needed span + 1 times in all.
	const firsts = new Float64Array(span + 1);
	const repeats = new Float64Array(span + 1);
	days.day.forEach((day, i) => {
		const offset = daysBetween(start, day);
		if (offset < 0 || offset > span) return;
		firsts[offset]! += days.firstPurchases[i]!;
		repeats[offset]! += days.repeatPurchases[i]!;
	});
	const expectedByAge = Float64Array.from({ length: span + 1 }, (_, d) =>
		expectedTransactionsNew(params, d / 7)
	);
	const acquiredOn: number[] = [];
	firsts.forEach((n, offset) => {
		if (n > 0) acquiredOn.push(offset);
	});
	const expectedAt = (end: number) => {
		let sum = 0;
		for (const offset of acquiredOn) {
			if (offset > end) break;
			sum += firsts[offset]! * expectedByAge[end - offset]!;
		}
		return sum;
	};
	const actualToDate = new Float64Array(span + 1);
	repeats.reduce((sum, n, offset) => (actualToDate[offset] = sum + n), 0);
	const at = (day: string): CumulativeComparison => {
		const end = daysBetween(start, day);
		if (end < 0) return empty(day);
		const actual = actualToDate[end]!;
		const expected = expectedAt(end);
		return {
			day,
			actual,
			expected,
			errorPercent: actual === 0 ? null : ((expected - actual) / actual) * 100
		};
	};

	const weeks: TrackingWeek[] = [];
	for (let week = 1; 7 * (week - 1) <= span; week++) {
		const end = Math.min(7 * week - 1, span);
		weeks.push({
			week,
			weekEnd: addDays(start, end),
			actualCumulative: actualToDate[end]!,
			expectedCumulative: expectedAt(end)
		});
	}
	return { start, weeks, calibrationEnd: at(calibrationEnd), holdoutEnd: at(holdoutEnd) };
}
