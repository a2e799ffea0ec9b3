import { AnalyticsError } from '../errors.ts';

/** A YYYY-MM-DD calendar date, or an AnalyticsError naming `what` and the form to use. */
export function checkDay(value: string, what: string): string {
	const d = new Date(`${value}T00:00:00Z`);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime())) {
		throw new AnalyticsError(`${what} '${value}' is not a date: write it as YYYY-MM-DD.`);
	}
	if (d.toISOString().slice(0, 10) !== value) {
		throw new AnalyticsError(`${what} '${value}' is not a calendar date.`);
	}
	return value;
}
