import { describe, expect, test } from 'vitest';
import { AnalyticsError } from '../../analytics/errors.ts';
import {
	addPeriods,
	checkGrain,
	checkPeriodStart,
	CRR_GRAINS,
	periodStart,
	periodsBetween
} from '../../analytics/retention/periods.ts';
import { fromCents, money, moneyRatio, toCents } from '../../analytics/retention/money.ts';

describe('periods', () => {
	test('period starts: Monday weeks, months, quarters, years', () => {
		// 2026-03-15 is a Sunday: its week began Monday 2026-03-09.
		expect(periodStart('2026-03-15', 'week')).toBe('2026-03-09');
		expect(periodStart('2026-03-09', 'week')).toBe('2026-03-09');
		// 2026-01-01 is a Thursday: its week began in 2025.
		expect(periodStart('2026-01-01', 'week')).toBe('2025-12-29');
		expect(periodStart('2026-03-15', 'month')).toBe('2026-03-01');
		expect(periodStart('2026-03-15', 'quarter')).toBe('2026-01-01');
		expect(periodStart('2026-11-30', 'quarter')).toBe('2026-10-01');
		expect(periodStart('2026-11-30', 'year')).toBe('2026-01-01');
	});

	test('adding and counting periods', () => {
		expect(addPeriods('2026-01-26', 6, 'week')).toBe('2026-03-09');
		expect(addPeriods('2025-01-01', 14, 'month')).toBe('2026-03-01');
		expect(addPeriods('2026-03-01', -1, 'month')).toBe('2026-02-01');
		expect(addPeriods('2024-04-01', 7, 'quarter')).toBe('2026-01-01');
		expect(addPeriods('2026-01-01', -1, 'year')).toBe('2025-01-01');
		expect(periodsBetween('2026-01-26', '2026-03-09', 'week')).toBe(6);
		expect(periodsBetween('2024-04-01', '2026-03-01', 'month')).toBe(23);
		expect(periodsBetween('2024-04-01', '2026-01-01', 'quarter')).toBe(7);
		expect(periodsBetween('2024-01-01', '2026-01-01', 'year')).toBe(2);
	});

	test('bad input is an AnalyticsError saying what to pass', () => {
		expect(() => checkPeriodStart('2026-03-02', 'month', 'The cohort')).toThrow(/pass 2026-03-01/);
		expect(() => periodStart('2026-02-30', 'month')).toThrow(AnalyticsError);
		expect(() => checkGrain('week', CRR_GRAINS)).toThrow(/use one of month, quarter, year/);
		expect(checkGrain('year', CRR_GRAINS)).toBe('year');
	});
});

describe('money', () => {
	test('exact cents both ways', () => {
		expect(toCents('12.5')).toBe(1250n);
		expect(toCents('-0.05')).toBe(-5n);
		expect(toCents('90071992547409.93')).toBe(9007199254740993n);
		expect(fromCents(-1250n)).toBe('-12.50');
		expect(money('7')).toBe('7.00');
		expect(() => toCents('1.234')).toThrow();
	});

	test('ratios are null over 0', () => {
		expect(moneyRatio('150', '100.00')).toBe(1.5);
		expect(moneyRatio('1', '0.00')).toBeNull();
	});
});
