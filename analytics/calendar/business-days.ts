/**
 * Business days (pure, no database): local calendar days as YYYY-MM-DD strings, counted with a
 * predicate that says whether a day is worked. The China calendar (statutory holidays, make-up
 * working days, tenant overrides) lives in statutory.ts; the same rule runs in SQL over the
 * `business_days` view (sql/migrations/0011_service.sql).
 */

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds of a day's UTC midnight; throws on anything but a real YYYY-MM-DD day. */
function dayMs(day: string): number {
	const ms = ISO_DAY.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
	if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
		throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
	}
	return ms;
}

export function addDays(day: string, n: number): string {
	return new Date(dayMs(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
	return ((new Date(dayMs(day)).getUTCDay() + 6) % 7) + 1;
}

/** The default week without a holiday calendar: Monday to Friday. */
export function isMondayToFriday(day: string): boolean {
	return isoWeekday(day) <= 5;
}

/** Every day from `from` to `to`, both included (empty when to < from). */
export function daysInRange(from: string, to: string): string[] {
	const start = dayMs(from);
	const end = dayMs(to);
	const out: string[] = [];
	for (let ms = start; ms <= end; ms += DAY_MS) out.push(new Date(ms).toISOString().slice(0, 10));
	return out;
}

/**
 * Business days from `from` to `to`: the worked days after `from`, up to and including `to`
 * (a ticket created on `from` is 1 business day old at the end of the next working day). The
 * count is negative when `to` is before `from`, and 0 for the same day.
 */
export function businessDaysBetween(
	from: string,
	to: string,
	isWorkday: (day: string) => boolean = isMondayToFriday
): number {
	if (dayMs(to) < dayMs(from)) return -businessDaysBetween(to, from, isWorkday);
	let n = 0;
	for (const day of daysInRange(addDays(from, 1), to)) if (isWorkday(day)) n++;
	return n;
}
