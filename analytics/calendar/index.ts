/** The business-day calendar: China's statutory holidays and make-up days, tenant overrides. */
export {
	addDays,
	businessDaysBetween,
	daysInRange,
	isMondayToFriday,
	isoWeekday
} from './business-days.ts';
export {
	chinaWorkday,
	fallbackWarning,
	FALLBACK_SOURCE,
	STATUTORY_SOURCE,
	STATUTORY_YEARS,
	statutoryDay,
	statutoryYear,
	type CalendarDay,
	type DayKind
} from './statutory.ts';
export {
	calendarCoverage,
	calendarOverrides,
	countBusinessDays,
	loadBusinessCalendar,
	removeCalendarOverride,
	setCalendarOverride,
	type CalendarCoverage,
	type CalendarOverride
} from './store.ts';
