/**
 * The China statutory working-day calendar: public holidays and the make-up working days (调休)
 * that the State Council publishes each year, from the `chinese-days` package's data
 * (github.com/vsme/chinese-days, MIT; it covers 2004 through the latest published year).
 *
 * A year the package does not know (before 2004, or a year whose arrangement was not published
 * when the package was released) falls back to Monday–Friday: every weekday is a working day,
 * holidays included. The refresh says so in a warning, and an admin can correct single days with
 * tenant overrides (analytics/calendar/store.ts) until the package is upgraded.
 */
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import pkg from 'chinese-days/package.json' with { type: 'json' };
import { daysInRange, isMondayToFriday } from './business-days.ts';

/** Where the statutory days come from (stored with every calendar row). */
export const STATUTORY_SOURCE = `chinese-days ${pkg.version}`;
/** The source of a year the package does not know. */
export const FALLBACK_SOURCE = 'mon-fri';

/** workday: an ordinary Mon–Fri; makeup: a weekend day worked in lieu of a holiday (调休). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

export interface CalendarDay {
	readonly day: string;
	readonly isWorkday: boolean;
	readonly kind: DayKind;
	/** The holiday's English and Chinese names (empty for ordinary days). */
	readonly nameEn: string;
	readonly nameZh: string;
	readonly source: string;
}

/** Day → "English name,中文名,n" as the package stores it. */
const holidays = data.holidays as Readonly<Record<string, string>>;
const makeupDays = data.workdays as Readonly<Record<string, string>>;

/** The years the package has an arrangement for. */
export const STATUTORY_YEARS: ReadonlySet<number> = new Set(
	Object.keys(holidays).map((day) => Number(day.slice(0, 4)))
);

function names(entry: string): { nameEn: string; nameZh: string } {
	const [nameEn = '', nameZh = ''] = entry.split(',');
	return { nameEn, nameZh };
}

/** One day of the statutory calendar (Mon–Fri for a year the package does not know). */
export function statutoryDay(day: string): CalendarDay {
	const weekday = isMondayToFriday(day);
	if (!STATUTORY_YEARS.has(Number(day.slice(0, 4)))) {
		return {
			day,
			isWorkday: weekday,
			kind: weekday ? 'workday' : 'weekend',
			nameEn: '',
			nameZh: '',
			source: FALLBACK_SOURCE
		};
	}
	const makeup = makeupDays[day];
	const holiday = holidays[day];
	if (makeup !== undefined) {
		return { day, isWorkday: true, kind: 'makeup', ...names(makeup), source: STATUTORY_SOURCE };
	}
	if (holiday !== undefined) {
		return { day, isWorkday: false, kind: 'holiday', ...names(holiday), source: STATUTORY_SOURCE };
	}
	return {
		day,
		isWorkday: weekday,
		kind: weekday ? 'workday' : 'weekend',
		nameEn: '',
		nameZh: '',
		source: STATUTORY_SOURCE
	};
}

/** Every day of a year. */
export function statutoryYear(year: number): CalendarDay[] {
	return daysInRange(`${year}-01-01`, `${year}-12-31`).map(statutoryDay);
}

/**
 * Whether a day is worked: a tenant override first, then the statutory calendar (Mon–Fri for
 * years the package does not know).
 */
export function chinaWorkday(
	overrides: ReadonlyMap<string, boolean> = new Map()
): (day: string) => boolean {
	return (day) => overrides.get(day) ?? statutoryDay(day).isWorkday;
}

/** The warning shown when a range of years includes some the package does not know. */
export function fallbackWarning(years: readonly number[]): string | null {
	if (!years.length) return null;
	return `The holiday calendar (${STATUTORY_SOURCE}) does not know ${years.join(', ')}: business days in ${years.length > 1 ? 'those years' : 'that year'} are counted Monday to Friday, holidays included. Add the holidays and make-up working days as calendar overrides on the admin settings page, or upgrade chinese-days.`;
}
