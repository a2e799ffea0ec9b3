import { describe, expect, test } from 'vitest';
import {
	isLowSample,
	monthsBefore,
	npsCategory,
	npsStats,
	periodStart,
	periodStarts
} from '../../analytics/voc/nps-math.ts';

describe('npsStats (METRICS.md: %promoters − %detractors, 95 % margin of error in points)', () => {
	test('50 promoters, 30 passives, 20 detractors of 100', () => {
		const s = npsStats(50, 30, 20);
		// NPS = 50 % − 20 % = 30. MoE = 1.96 · sqrt((0.5 + 0.2 − 0.3²) / 100) · 100
		// = 1.96 · sqrt(0.0061) · 100 = 1.96 · 0.078102… · 100 = 15.308 points.
		expect(s.n).toBe(100);
		expect(s.nps).toBeCloseTo(30, 12);
		expect(s.marginOfError).toBeCloseTo(15.308, 3);
	});

	test('exactly 30 responses: 12 promoters, 8 passives, 10 detractors', () => {
		const s = npsStats(12, 8, 10);
		// NPS = (12 − 10) / 30 · 100 = 6.667; MoE = 1.96 · sqrt((0.4 + 0.3333 − 0.0667²) / 30) · 100
		// = 1.96 · sqrt(0.0242963) · 100 = 30.551.
		expect(s.nps).toBeCloseTo(6.6667, 4);
		expect(s.marginOfError).toBeCloseTo(30.551, 3);
		expect(isLowSample(s.n, 30)).toBe(false);
		expect(isLowSample(29, 30)).toBe(true);
	});

	test('all promoters: NPS 100 with no spread; all detractors: −100', () => {
		expect(npsStats(7, 0, 0)).toMatchObject({ n: 7, nps: 100, marginOfError: 0 });
		expect(npsStats(0, 0, 4)).toMatchObject({ n: 4, nps: -100, marginOfError: 0 });
	});

	test('only passives: NPS 0 with no spread; no responses: null, not 0', () => {
		expect(npsStats(0, 5, 0)).toMatchObject({ nps: 0, marginOfError: 0 });
		expect(npsStats(0, 0, 0)).toEqual({
			n: 0,
			promoters: 0,
			passives: 0,
			detractors: 0,
			nps: null,
			marginOfError: null
		});
	});

	test('one promoter and one detractor: NPS 0, the widest spread', () => {
		// p+ = p− = 0.5: MoE = 1.96 · sqrt(1 / 2) · 100 = 138.59 points.
		expect(npsStats(1, 0, 1).marginOfError).toBeCloseTo(1.96 * Math.SQRT1_2 * 100, 10);
	});

	test('rejects counts that are not counts', () => {
		expect(() => npsStats(-1, 0, 0)).toThrow(/promoters/);
		expect(() => npsStats(1, 0.5, 0)).toThrow(/passives/);
	});
});

describe('npsCategory', () => {
	test('0–6 detractor, 7–8 passive, 9–10 promoter', () => {
		expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual([
			'detractor',
			'detractor',
			'passive',
			'passive',
			'promoter',
			'promoter'
		]);
		expect(() => npsCategory(11)).toThrow(RangeError);
	});
});

describe('periods', () => {
	test('period starts of months and quarters', () => {
		expect(periodStart('2026-03-31', 'month')).toBe('2026-03-01');
		expect(periodStart('2026-12-05', 'quarter')).toBe('2026-10-01');
		expect(periodStarts('2026-02-10', 'month', 3)).toEqual([
			'2025-12-01',
			'2026-01-01',
			'2026-02-01'
		]);
		expect(periodStarts('2026-02-10', 'quarter', 3)).toEqual([
			'2025-07-01',
			'2025-10-01',
			'2026-01-01'
		]);
		expect(() => periodStarts('2026-02-10', 'month', 0)).toThrow(RangeError);
	});

	test('months before a day clamp to the end of a shorter month', () => {
		expect(monthsBefore('2026-03-31', 12)).toBe('2025-03-31');
		expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
		expect(monthsBefore('2024-03-31', 1)).toBe('2024-02-29');
		expect(monthsBefore('2026-01-15', 13)).toBe('2024-12-15');
	});
});
