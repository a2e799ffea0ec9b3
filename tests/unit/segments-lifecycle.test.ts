import { describe, expect, test } from 'vitest';
import {
	lifecycleStage,
	subtractMonths,
	type LifecycleInput
} from '../../analytics/segments/lifecycle-rule.ts';

const SETTINGS = { growthNewDays: 180, growthRatio: 1.2, declineRatio: 0.8 };
const AS_OF = '2025-06-30';
const base: LifecycleInput = {
	asOf: AS_OF,
	firstActivity: '2023-01-15',
	churned: false,
	healthRed: false,
	revenue6m: 1000,
	revenuePrev6m: 1000
};
const stage = (overrides: Partial<LifecycleInput>, settings = SETTINGS) =>
	lifecycleStage({ ...base, ...overrides }, settings);

describe('lifecycle stage', () => {
	test('each stage on its own', () => {
		expect(stage({ firstActivity: null, revenue6m: 0, revenuePrev6m: 0 })).toBe('potential');
		expect(stage({ churned: true })).toBe('churned');
		// Tenure 2.5 years, revenue flat: mature.
		expect(stage({})).toBe('mature');
		// 790 < 0.8 × 1000 = 800: decline.
		expect(stage({ revenue6m: 790 })).toBe('decline');
		// 1200 ≥ 1.2 × 1000: growth.
		expect(stage({ revenue6m: 1200 })).toBe('growth');
		expect(stage({ healthRed: true })).toBe('decline');
	});

	test('boundaries of the revenue band', () => {
		// Exactly 80 %: not below 0.8 × prev, still mature; exactly 120 %: growth; 119.9 %: mature.
		expect(stage({ revenue6m: 800 })).toBe('mature');
		expect(stage({ revenue6m: 1199.99 })).toBe('mature');
		// From nothing to something is growth; nothing in both half-years is not.
		expect(stage({ revenue6m: 10, revenuePrev6m: 0 })).toBe('growth');
		expect(stage({ revenue6m: 0, revenuePrev6m: 0 })).toBe('mature');
	});

	test('a first order today, and the growth_days boundary', () => {
		// 0 days < 180.
		expect(stage({ firstActivity: AS_OF, revenue6m: 100, revenuePrev6m: 0 })).toBe('growth');
		// 2025-01-02 → 2025-06-30 is 179 days: growth even with flat revenue.
		expect(stage({ firstActivity: '2025-01-02', revenue6m: 5, revenuePrev6m: 5 })).toBe('growth');
		// 2025-01-01 is 180 days ago: not new; flat revenue and tenure < 1 year → growth by the
		// fallback (its first year), 2024-06-30 (exactly 12 months) → mature.
		expect(stage({ firstActivity: '2025-01-01', revenue6m: 5, revenuePrev6m: 5 })).toBe('growth');
		expect(stage({ firstActivity: '2024-06-30' })).toBe('mature');
		expect(stage({ firstActivity: '2024-07-01' })).toBe('growth');
	});

	test('precedence: churned > potential > decline > growth > mature', () => {
		expect(stage({ churned: true, healthRed: true, revenue6m: 0 })).toBe('churned');
		// New account with red health: decline wins over growth.
		expect(stage({ firstActivity: AS_OF, healthRed: true })).toBe('decline');
		// Revenue down (decline) while also new by age: decline.
		expect(stage({ firstActivity: '2025-05-01', revenue6m: 10, revenuePrev6m: 100 })).toBe(
			'decline'
		);
	});

	test('the ratios are settings', () => {
		expect(stage({ revenue6m: 850 }, { ...SETTINGS, declineRatio: 0.9 })).toBe('decline');
		expect(stage({ revenue6m: 1100 }, { ...SETTINGS, growthRatio: 1.1 })).toBe('growth');
	});

	test('months are subtracted as ClickHouse addMonths does', () => {
		expect(subtractMonths('2025-03-31', 1)).toBe('2025-02-28');
		expect(subtractMonths('2024-02-29', 12)).toBe('2023-02-28');
		expect(subtractMonths('2025-01-15', 12)).toBe('2024-01-15');
		expect(subtractMonths('2025-01-15', 1)).toBe('2024-12-15');
	});
});
