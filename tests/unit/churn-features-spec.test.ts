import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FEATURE_NAMES, FEATURES } from '../../models/features.ts';
import { snapshotDates, splitByDate } from '../../models/training-set.ts';
import { sqlPath } from '../../sql/paths.ts';

describe('feature specs', () => {
	test('names are unique snake_case and are the SQL columns after account_id, in order', () => {
		expect(new Set(FEATURE_NAMES).size).toBe(FEATURES.length);
		for (const n of FEATURE_NAMES) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
		const sql = readFileSync(sqlPath('queries', 'churn-features.sql'), 'utf8');
		// The statement's outer column list: between the first SELECT and the FROM that follows it.
		const list = /^SELECT\n([\s\S]*?)\nFROM\n/m.exec(sql)?.[1] ?? '';
		const columns = list.split(',').map((c) => c.trim());
		expect(columns).toEqual(['account_id', ...FEATURE_NAMES]);
	});

	test('the four categorical features are tier, segment, industry and region', () => {
		expect(FEATURES.filter((f) => f.kind === 'categorical').map((f) => f.name)).toEqual([
			'tier',
			'segment',
			'industry',
			'region'
		]);
		expect(FEATURES.length).toBeGreaterThanOrEqual(20);
	});

	test('every feature has both descriptions and renders both drivers', () => {
		for (const f of FEATURES) {
			expect(f.description.en.length, f.name).toBeGreaterThan(10);
			expect(f.description.zh.length, f.name).toBeGreaterThan(5);
			for (const text of [f.driver.en(3, 1.5), f.driver.zh(3, 1.5), f.driver.en(0, 0.25)]) {
				expect(text, f.name).not.toMatch(/undefined|NaN|#/);
				expect(text.length, f.name).toBeGreaterThan(5);
			}
		}
	});

	test('driver sentences read as the issue words them', () => {
		const spec = (name: string) => FEATURES.find((f) => f.name === name)!;
		expect(spec('recency_ratio').driver.en(2.3, 0.9)).toBe('orders 2.3× further apart than usual');
		expect(spec('recency_ratio').driver.zh(2.3, 0.9)).toBe('订单间隔比平时长 2.3 倍');
		expect(spec('tickets_90d').driver.en(5, 1.2)).toBe('5 tickets in 90 days (usual 1.2)');
		expect(spec('tickets_90d').driver.zh(5, 1.2)).toBe('90 天内 5 张工单（通常 1.2）');
		// Ratios as percentages; one decimal at most.
		expect(spec('revenue_trend_90d').driver.en(0.45, 0.98)).toBe(
			'revenue at 45% of the previous 90 days (usual 98%)'
		);
		expect(spec('days_since_touch').driver.en(45.25, 12)).toBe(
			'owner last in touch 45.3 days ago (usual 12)'
		);
		expect(spec('tier').driver.en(1, 0.2)).toBe('in this tier (shared by 20% of accounts)');
	});
});

describe('snapshot dates', () => {
	test('month-ends from the first data day whose horizon ends on or before the last day', () => {
		// 2025-01-31 + 90 = 2025-05-01 ≤ 2025-06-15; 2025-03-31 + 90 = 2025-06-29 is after it.
		expect(snapshotDates('2025-01-10', '2025-06-15', 90)).toEqual(['2025-01-31', '2025-02-28']);
		// A first day that is itself a month-end is a snapshot; 2024 is a leap year.
		expect(snapshotDates('2024-01-31', '2024-03-30', 30)).toEqual(['2024-01-31', '2024-02-29']);
		expect(snapshotDates('2025-05-01', '2025-06-15', 90)).toEqual([]);
	});
});

describe('split by date', () => {
	const dates = ['2025-03-31', '2025-01-31', '2025-02-28', '2025-04-30'];

	test('newest → test, the one before → validation, older → train', () => {
		expect([...splitByDate(dates)]).toEqual([
			['2025-01-31', 'train'],
			['2025-02-28', 'train'],
			['2025-03-31', 'validation'],
			['2025-04-30', 'test']
		]);
	});

	test('the counts are configurable', () => {
		expect([...splitByDate(dates, { testDates: 2, validationDates: 0 }).values()]).toEqual([
			'train',
			'train',
			'test',
			'test'
		]);
	});

	test('too few dates or a bad count is an error that says what to do', () => {
		expect(() => splitByDate(dates.slice(0, 2))).toThrow(/nothing to train on.*load more history/);
		expect(() => splitByDate(dates, { testDates: -1 })).toThrow(/testDates = -1/);
	});
});
