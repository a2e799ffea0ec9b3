/**
 * The business-day calendar in the database: the statutory calendar loaded per year
 * (business_calendar), the tenant's overrides (calendar_overrides) and the effective calendar
 * over both (the business_days view), all in sql/migrations/0011_service.sql.
 *
 * Overrides change the facts of the next refresh (the service facts store each ticket's
 * business-day age); countBusinessDays reads the effective calendar as it is now.
 */
import type { Db } from '../../sql/client.ts';
import { insertRows, loadQuery, queryOne, queryRows } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import { fallbackWarning, STATUTORY_YEARS, statutoryYear } from './statutory.ts';

/** Oldest and newest year the calendar is loaded for (a wider span is a data error). */
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

export interface CalendarCoverage {
	/** Years counted with the statutory holidays and make-up days. */
	readonly statutoryYears: readonly number[];
	/** Years counted Monday to Friday (the package does not know them). */
	readonly fallbackYears: readonly number[];
	/** What to tell the user about fallbackYears, or null. */
	readonly warning: string | null;
}

function checkYears(fromYear: number, toYear: number): void {
	if (
		!Number.isInteger(fromYear) ||
		!Number.isInteger(toYear) ||
		fromYear > toYear ||
		fromYear < MIN_YEAR ||
		toYear > MAX_YEAR
	) {
		throw new AnalyticsError(
			`The business-day calendar covers the years ${MIN_YEAR} to ${MAX_YEAR}, not ${fromYear}–${toYear}: check the dates of the tickets and survey responses (tenure ingest rejects).`
		);
	}
}

/**
 * Loads the statutory calendar for the years fromYear…toYear: each year whose stored rows are
 * missing or came from another source (an older package, or the Mon–Fri fallback) is written
 * again. Returns which years are statutory and which fall back to Monday–Friday.
 */
export async function loadBusinessCalendar(
	db: Db,
	fromYear: number,
	toYear: number
): Promise<CalendarCoverage> {
	checkYears(fromYear, toYear);
	const loaded = await queryRows<{ year: number; days: string | number; sources: string[] }>(
		db,
		loadQuery('calendar-loaded-years'),
		{ from_year: fromYear, to_year: toYear },
		{ tag: 'calendar:loaded-years' }
	);
	const current = new Map(loaded.map((r) => [Number(r.year), r]));
	const statutoryYears: number[] = [];
	const fallbackYears: number[] = [];
	const loadedAt = new Date();
	for (let year = fromYear; year <= toYear; year++) {
		const known = STATUTORY_YEARS.has(year);
		(known ? statutoryYears : fallbackYears).push(year);
		const days = statutoryYear(year);
		const stored = current.get(year);
		if (
			stored &&
			Number(stored.days) === days.length &&
			stored.sources.length === 1 &&
			stored.sources[0] === days[0]?.source
		) {
			continue;
		}
		await insertRows(
			db,
			'business_calendar',
			days.map((d) => ({
				day: d.day,
				is_workday: d.isWorkday ? 1 : 0,
				kind: d.kind,
				name_en: d.nameEn,
				name_zh: d.nameZh,
				source: d.source,
				loaded_at: loadedAt
			})),
			'calendar:load'
		);
	}
	return { statutoryYears, fallbackYears, warning: fallbackWarning(fallbackYears) };
}

/** Which of the years fromYear…toYear the stored calendar counts with statutory holidays. */
export async function calendarCoverage(
	db: Db,
	fromYear: number,
	toYear: number
): Promise<CalendarCoverage> {
	checkYears(fromYear, toYear);
	const loaded = await queryRows<{ year: number; sources: string[] }>(
		db,
		loadQuery('calendar-loaded-years'),
		{ from_year: fromYear, to_year: toYear },
		{ tag: 'calendar:coverage' }
	);
	const statutory = new Set(
		loaded
			.filter((r) => r.sources.some((s) => s.startsWith('chinese-days')))
			.map((r) => Number(r.year))
	);
	const statutoryYears: number[] = [];
	const fallbackYears: number[] = [];
	for (let year = fromYear; year <= toYear; year++) {
		(statutory.has(year) ? statutoryYears : fallbackYears).push(year);
	}
	return { statutoryYears, fallbackYears, warning: fallbackWarning(fallbackYears) };
}

export interface CalendarOverride {
	/** YYYY-MM-DD. */
	readonly day: string;
	readonly isWorkday: boolean;
	readonly note: string;
	readonly updatedBy: string;
	/** UTC, 'YYYY-MM-DD hh:mm:ss.sss'. */
	readonly updatedAt: string;
}

function checkDay(day: string): string {
	const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
	if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
		throw new AnalyticsError(`'${day}' is not a calendar day: write it as YYYY-MM-DD.`);
	}
	const year = Number(day.slice(0, 4));
	if (year < MIN_YEAR || year > MAX_YEAR) {
		throw new AnalyticsError(
			`${day} is outside the calendar (${MIN_YEAR}–${MAX_YEAR}): pick a day in those years.`
		);
	}
	return day;
}

/** Every current override, by day. */
export async function calendarOverrides(db: Db): Promise<CalendarOverride[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		loadQuery('calendar-overrides'),
		{},
		{ tag: 'calendar:overrides' }
	);
	return rows.map((r) => ({
		day: String(r.day),
		isWorkday: Number(r.is_workday) === 1,
		note: String(r.note),
		updatedBy: String(r.updated_by),
		updatedAt: String(r.updated_at)
	}));
}

/**
 * Sets the tenant's override of one day (a company holiday, or a worked day the statutory
 * calendar rests); it counts from the next refresh on.
 */
export async function setCalendarOverride(
	db: Db,
	override: {
		readonly day: string;
		readonly isWorkday: boolean;
		readonly note?: string;
		readonly updatedBy?: string;
	}
): Promise<void> {
	const note = (override.note ?? '').trim();
	if (note.length > 500) {
		throw new AnalyticsError('A calendar note is at most 500 characters: shorten it.');
	}
	await insertRows(
		db,
		'calendar_overrides',
		[
			{
				day: checkDay(override.day),
				is_workday: override.isWorkday ? 1 : 0,
				note,
				updated_by: override.updatedBy ?? '',
				updated_at: new Date(),
				is_deleted: 0
			}
		],
		'calendar:override'
	);
}

/** Removes the override of one day (the statutory calendar counts again from the next refresh). */
export async function removeCalendarOverride(db: Db, day: string, updatedBy = ''): Promise<void> {
	await insertRows(
		db,
		'calendar_overrides',
		[
			{
				day: checkDay(day),
				is_workday: 0,
				note: '',
				updated_by: updatedBy,
				updated_at: new Date(),
				is_deleted: 1
			}
		],
		'calendar:override-remove'
	);
}

/**
 * Business days from `from` to `to` under the effective calendar as stored now: the worked days
 * after `from` up to and including `to` (negative when `to` is earlier). Days of years not loaded
 * count Monday to Friday. Same rule as businessDaysBetween (business-days.ts).
 */
export async function countBusinessDays(db: Db, from: string, to: string): Promise<number> {
	const row = await queryOne<{ business_days: string | number }>(
		db,
		loadQuery('calendar-business-days'),
		{ from: checkDay(from), to: checkDay(to) },
		{ tag: 'calendar:business-days' }
	);
	return Number(row?.business_days ?? 0);
}
