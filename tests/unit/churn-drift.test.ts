import { describe, expect, test } from 'vitest';
import { driftFlag, driftReport, psi, psiFromCounts, quantileCuts } from '../../models/drift.ts';
import { fitPreprocessor } from '../../models/preprocess.ts';

function normals(n: number, seed: number, shift = 0): number[] {
	let s = seed >>> 0;
	const u = () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = Math.imul(s ^ (s >>> 15), s | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return Array.from(
		{ length: n },
		() => shift + Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())
	);
}

describe('population stability', () => {
	test('identical samples: PSI 0; a fresh sample of the same distribution: small', () => {
		const train = normals(5000, 1);
		expect(psi(train, train)).toBe(0);
		expect(psi(train, normals(5000, 2))).toBeLessThan(0.02);
	});

	test('a one-sd shift is large drift', () => {
		const value = psi(normals(5000, 1), normals(5000, 2, 1));
		expect(value).toBeGreaterThan(0.25);
		expect(driftFlag(value)).toBe('large');
	});

	test('hand-computed: two bins, shares 0.5/0.5 vs 0.8/0.2', () => {
		// (0.8 − 0.5)·ln(0.8/0.5) + (0.2 − 0.5)·ln(0.2/0.5).
		const expected = 0.3 * Math.log(1.6) - 0.3 * Math.log(0.4);
		expect(psiFromCounts([5, 5], [8, 2])).toBeCloseTo(expected, 12);
		expect(psi([1, 2, 3, 4], [1, 1, 1, 1, 2, 2, 2, 2, 3, 4], 2)).toBeCloseTo(expected, 12);
		// An empty actual bin counts as a share of 1e-4, not as an infinite PSI.
		expect(psiFromCounts([5, 5], [10, 0])).toBeCloseTo(
			(1 - 0.5) * Math.log(1 / 0.5) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5),
			12
		);
	});

	test('quantile cuts merge on ties', () => {
		expect(quantileCuts([1, 1, 1, 1, 2, 3, 4, 5, 6, 7], 5)).toEqual([1, 3, 5]);
		expect(driftFlag(0.05)).toBe('none');
		expect(driftFlag(0.1)).toBe('moderate');
		expect(driftFlag(0.25)).toBe('large');
	});

	test('driftReport flags per feature, counting missingness and unseen levels', () => {
		const base = normals(2000, 3);
		const train = {
			stable: base,
			shifted: base.map((v) => v * 2),
			gaps: base as (number | null)[],
			plan: base.map((v) => (v > 0 ? 'pro' : 'basic'))
		};
		const pre = fitPreprocessor(
			[
				{ name: 'stable', kind: 'numeric' },
				{ name: 'shifted', kind: 'numeric' },
				{ name: 'gaps', kind: 'numeric' },
				{ name: 'plan', kind: 'categorical' }
			],
			train,
			base.map((_, i) => i)
		);
		const today = normals(2000, 4);
		const score = {
			stable: today,
			shifted: today.map((v) => v * 2 + 1.5),
			gaps: today.map((v, i) => (i % 3 === 0 ? null : v)),
			plan: today.map((v) => (v > 0.5 ? 'enterprise' : v > 0 ? 'pro' : 'basic'))
		};
		const report = driftReport(pre, train, score);
		expect(report.map((r) => [r.feature, r.flag])).toEqual([
			['stable', 'none'],
			['shifted', 'large'],
			['gaps', 'large'],
			['plan', 'large']
		]);
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
		expect(() => driftReport(pre, train, { stable: today })).toThrow(
			/"shifted" is missing from the scoring/
		);
	});
});
