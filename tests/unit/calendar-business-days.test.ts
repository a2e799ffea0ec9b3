import { describe, expect, test } from 'vitest';
import {
	addDays,
	businessDaysBetween,
	isoWeekday
} from '../../analytics/calendar/business-days.ts';
import {
	chinaWorkday,
	fallbackWarning,
	FALLBACK_SOURCE,
	STATUTORY_YEARS,
	statutoryDay,
	statutoryYear
} from '../../analytics/calendar/statutory.ts';

/**
 * China's 2025 arrangement (State Council notice 国办发明电〔2024〕12号): National Day and
 * Mid-Autumn 10-01 (Wed) to 10-08 (Wed) off; Sunday 09-28 and Saturday 10-11 are worked.
 * 2026 Spring Festival: 02-15 to 02-23 off; Saturdays 02-14 and 02-28 worked.
 */
const china = chinaWorkday();

describe('businessDaysBetween', () => {
	test('Monday to Friday by default: the worked days after the start, through the end', () => {
		// Monday 2025-09-01 → Monday 09-08: Tue, Wed, Thu, Fri, Mon.
		expect(isoWeekday('2025-09-01')).toBe(1);
		expect(businessDaysBetween('2025-09-01', '2025-09-08')).toBe(5);
		expect(businessDaysBetween('2025-09-01', '2025-09-01')).toBe(0);
		// Reversed: negative.
		expect(businessDaysBetween('2025-09-08', '2025-09-01')).toBe(-5);
		// Friday → Sunday: none.
		expect(businessDaysBetween('2025-09-05', '2025-09-07')).toBe(0);
	});

	test('across National Day 2025: only 10-09 is worked between 09-30 and 10-09', () => {
		expect(businessDaysBetween('2025-09-30', '2025-10-09', china)).toBe(1);
		// Monday to Friday would count 10-01, 02, 03, 06, 07, 08, 09.
		expect(businessDaysBetween('2025-09-30', '2025-10-09')).toBe(7);
	});

	test('the make-up Sunday 09-28 and Saturday 10-11 are worked', () => {
		// (09-26, 10-13]: Sun 09-28, Mon 29, Tue 30, Thu 10-09, Fri 10, Sat 11, Mon 13 = 7.
		expect(businessDaysBetween('2025-09-26', '2025-10-13', china)).toBe(7);
		expect(statutoryDay('2025-09-28')).toMatchObject({
			isWorkday: true,
			kind: 'makeup',
			nameZh: '国庆节'
		});
		expect(statutoryDay('2025-10-06')).toMatchObject({ isWorkday: false, kind: 'holiday' });
		expect(statutoryDay('2025-10-12')).toMatchObject({ isWorkday: false, kind: 'weekend' });
	});

	test('Spring Festival 2026 with its two make-up Saturdays', () => {
		// (02-13, 02-28]: Sat 02-14 worked; 02-15…02-23 off; Tue 24, Wed 25, Thu 26, Fri 27,
		// Sat 28 worked → 6.
		expect(businessDaysBetween('2026-02-13', '2026-02-28', china)).toBe(6);
	});

	test('a tenant override wins over the statutory calendar', () => {
		// (09-30, 10-11] statutory: 10-09, 10-10, 10-11 (make-up Saturday) = 3.
		expect(businessDaysBetween('2025-09-30', '2025-10-11', china)).toBe(3);
		// 10-08 worked by the tenant: 4.
		const worked = chinaWorkday(new Map([['2025-10-08', true]]));
		expect(businessDaysBetween('2025-09-30', '2025-10-11', worked)).toBe(4);
		// 10-10 a company holiday: 2.
		const rest = chinaWorkday(new Map([['2025-10-10', false]]));
		expect(businessDaysBetween('2025-09-30', '2025-10-11', rest)).toBe(2);
	});

	test('a year the package does not know falls back to Monday to Friday, with a warning', () => {
		const unknown = Math.max(...STATUTORY_YEARS) + 1;
		const day = statutoryDay(`${unknown}-01-01`);
		expect(day.source).toBe(FALLBACK_SOURCE);
		expect(day.isWorkday).toBe(isoWeekday(`${unknown}-01-01`) <= 5);
		expect(statutoryYear(unknown).filter((d) => d.isWorkday).length).toBe(
			statutoryYear(unknown).filter((d) => isoWeekday(d.day) <= 5).length
		);
		expect(fallbackWarning([unknown])).toContain(`does not know ${unknown}`);
		expect(fallbackWarning([])).toBeNull();
	});

	test('calendar days are checked', () => {
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(() => businessDaysBetween('2025-02-30', '2025-03-01')).toThrow(RangeError);
	});
});
