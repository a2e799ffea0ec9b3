/**
 * Calendar periods of the retention views: weeks (starting Monday, as ClickHouse's toMonday),
 * months, quarters and years, as YYYY-MM-DD strings of their first day. Pure date arithmetic on
 * local calendar days (the SQL has already turned timestamps into local days of TENURE_TZ).
 */
import { AnalyticsError } from '../errors.ts';
import { oneOf } from '../read.ts';

export type Grain = 'week' | 'month' | 'quarter' | 'year';
export const COHORT_GRAINS = ['month', 'week', 'quarter'] as const;
export type CohortGrain = (typeof COHORT_GRAINS)[number];
export const CRR_GRAINS = ['month', 'quarter', 'year'] as const;
export type CrrGrain = (typeof CRR_GRAINS)[number];

const MS_PER_DAY = 86_400_000;

function parseDay(day: string): Date {
	const d = new Date(`${day}T00:00:00Z`);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(d.getTime())) {
		throw new AnalyticsError(`'${day}' is not a date: write it as YYYY-MM-DD.`);
	}
	if (d.toISOString().slice(0, 10) !== day) {
		throw new AnalyticsError(`'${day}' is not a calendar date.`);
	}
	return d;
}

const format = (d: Date): string => d.toISOString().slice(0, 10);

/** Months per period of a month-based grain. */
const MONTHS: Record<Exclude<Grain, 'week'>, number> = { month: 1, quarter: 3, year: 12 };

/** The first day of the period of `grain` that contains `day`. */
export function periodStart(day: string, grain: Grain): string {
	const d = parseDay(day);
	if (grain === 'week') {
		// getUTCDay: 0 = Sunday; Monday-based weeks go back 6 days from a Sunday.
		const back = (d.getUTCDay() + 6) % 7;
		return format(new Date(d.getTime() - back * MS_PER_DAY));
	}
	const step = MONTHS[grain];
	const month = Math.floor(d.getUTCMonth() / step) * step;
	return format(new Date(Date.UTC(d.getUTCFullYear(), month, 1)));
}

/** The start of the period `n` periods after (negative: before) the period starting on `start`. */
export function addPeriods(start: string, n: number, grain: Grain): string {
	const d = parseDay(start);
	if (grain === 'week') return format(new Date(d.getTime() + n * 7 * MS_PER_DAY));
	return format(
		new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n * MONTHS[grain], d.getUTCDate()))
	);
}

/** Whole periods from the period starting on `from` to the one starting on `to`. */
export function periodsBetween(from: string, to: string, grain: Grain): number {
	const a = parseDay(from);
	const b = parseDay(to);
	if (grain === 'week') return Math.round((b.getTime() - a.getTime()) / (7 * MS_PER_DAY));
	const months =
		(b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
	return Math.floor(months / MONTHS[grain]);
}

/** `value` as a period start of `grain`, or an AnalyticsError naming what to pass instead. */
export function checkPeriodStart(value: string, grain: Grain, what: string): string {
	const start = periodStart(value, grain);
	if (start !== value) {
		throw new AnalyticsError(
			`${what} '${value}' is not the first day of a ${grain}: pass ${start} (the ${grain} that contains it).`
		);
	}
	return value;
}

/** A value from an allow-list, or an AnalyticsError naming the allowed ones. */
export const checkOneOf = oneOf;

export function checkGrain<G extends string>(value: string, allowed: readonly G[]): G {
	return checkOneOf(value, allowed, 'grain');
}
