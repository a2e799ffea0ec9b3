import { describe, expect, test } from 'vitest';
import {
	fmScore,
	quintileScore,
	quintileScores,
	RFM_SEGMENTS,
	rfmSegment,
	scoreRfm,
	SEGMENT_GRID
} from '../../analytics/segments/scoring.ts';

describe('quintile scores: 1 + ⌊5p⌋, p = (below + equal/2) / n', () => {
	test('ten distinct values: two per quintile', () => {
		// p = 0.05, 0.15, 0.25, …, 0.95 → 1, 1, 2, 2, 3, 3, 4, 4, 5, 5.
		expect(quintileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toEqual([
			1, 1, 2, 2, 3, 3, 4, 4, 5, 5
		]);
	});

	test('input order is kept', () => {
		// Same population shuffled: each value keeps its score.
		expect(quintileScores([100, 10, 50, 60, 20, 90, 30, 80, 40, 70])).toEqual([
			5, 1, 3, 3, 1, 5, 2, 4, 2, 4
		]);
	});

	test('ties get one score, from their mid-rank', () => {
		// n = 6: value 1 three times (below 0, equal 3 → p = 1.5/6 = 0.25 → 2); 2 once (below 3,
		// p = 3.5/6 = 0.583 → 3); 5 twice (below 4, equal 2 → p = 5/6 = 0.833 → 5).
		expect(quintileScores([1, 5, 1, 2, 1, 5])).toEqual([2, 5, 2, 3, 2, 5]);
	});

	test('fewer than five values', () => {
		// n = 1: p = 0.5 → 3. n = 2: p = 0.25, 0.75 → 2, 4. n = 3: 1/6, 1/2, 5/6 → 1, 3, 5.
		// n = 4: 1/8, 3/8, 5/8, 7/8 → 1, 2, 4, 5.
		expect(quintileScores([7])).toEqual([3]);
		expect(quintileScores([7, 3])).toEqual([4, 2]);
		expect(quintileScores([1, 2, 3])).toEqual([1, 3, 5]);
		expect(quintileScores([1, 2, 3, 4])).toEqual([1, 2, 4, 5]);
		// All equal: p = 0.5 for everyone → 3.
		expect(quintileScores([4, 4, 4, 4])).toEqual([3, 3, 3, 3]);
		expect(quintileScores([])).toEqual([]);
	});

	test('a value exactly on a quintile boundary goes to the upper quintile', () => {
		// n = 5 with the two lowest tied: below 0, equal 2 → p = 1/5 = 0.2 exactly → 2.
		expect(quintileScore(0, 2, 5)).toBe(2);
		expect(quintileScores([1, 1, 2, 3, 4])).toEqual([2, 2, 3, 4, 5]);
	});

	test('recency: fewer days is better, so the most recent buyers score 5', () => {
		// Days 0, 10, 10, 400: worse = more days. 400: below 0, p = 1/8 → 1; 10: below 1,
		// equal 2 → p = 2/4 → 3; 0: below 3 → p = 3.5/4 → 5.
		expect(quintileScores([0, 10, 10, 400], false)).toEqual([5, 3, 3, 1]);
	});

	test('scores never leave 1..5 and follow the value order', () => {
		let seed = 7;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let k = 0; k < 50; k++) {
			const values = Array.from({ length: 1 + Math.floor(rand() * 40) }, () =>
				Math.floor(rand() * 8)
			);
			const scores = quintileScores(values);
			for (let i = 0; i < values.length; i++) {
				expect(scores[i]).toBeGreaterThanOrEqual(1);
				expect(scores[i]).toBeLessThanOrEqual(5);
				for (let j = 0; j < values.length; j++) {
					if (values[i]! < values[j]!) expect(scores[i]).toBeLessThanOrEqual(scores[j]!);
					if (values[i] === values[j]) expect(scores[i]).toBe(scores[j]);
				}
			}
		}
	});

	test('rejects impossible ranks', () => {
		expect(() => quintileScore(0, 0, 3)).toThrow(RangeError);
		expect(() => quintileScore(3, 1, 3)).toThrow(RangeError);
	});
});

describe('segment map', () => {
	test('FM is the mean of F and M, a half rounded up', () => {
		expect([fmScore(1, 1), fmScore(1, 2), fmScore(2, 3), fmScore(4, 5), fmScore(5, 5)]).toEqual([
			1, 2, 3, 5, 5
		]);
		expect(() => fmScore(0, 3)).toThrow(RangeError);
	});

	test('the grid, cell by cell', () => {
		expect(rfmSegment(5, 5)).toBe('champions');
		expect(rfmSegment(5, 4)).toBe('champions');
		expect(rfmSegment(4, 5)).toBe('loyal');
		expect(rfmSegment(3, 4)).toBe('loyal');
		expect(rfmSegment(5, 3)).toBe('potential_loyalist');
		expect(rfmSegment(4, 2)).toBe('potential_loyalist');
		expect(rfmSegment(5, 1)).toBe('new');
		expect(rfmSegment(4, 1)).toBe('promising');
		expect(rfmSegment(3, 3)).toBe('need_attention');
		expect(rfmSegment(3, 2)).toBe('about_to_sleep');
		expect(rfmSegment(3, 1)).toBe('about_to_sleep');
		expect(rfmSegment(2, 4)).toBe('at_risk');
		expect(rfmSegment(1, 3)).toBe('at_risk');
		expect(rfmSegment(1, 5)).toBe('cant_lose');
		expect(rfmSegment(2, 5)).toBe('cant_lose');
		expect(rfmSegment(2, 1)).toBe('hibernating');
		expect(rfmSegment(2, 2)).toBe('hibernating');
		expect(rfmSegment(1, 1)).toBe('lost');
		expect(rfmSegment(1, 2)).toBe('lost');
		expect(() => rfmSegment(6, 1)).toThrow(RangeError);
	});

	test('every segment has at least one cell, and the grid is 5 × 5', () => {
		expect(SEGMENT_GRID).toHaveLength(5);
		for (const row of SEGMENT_GRID) expect(row).toHaveLength(5);
		expect(new Set(SEGMENT_GRID.flat())).toEqual(new Set(RFM_SEGMENTS));
	});

	test('scoreRfm on three accounts worked out by hand', () => {
		// n = 3. Recency 0, 30, 300 days → R 5, 3, 1. Frequency 5, 1, 5: F of 1 → below 0, p = 1/6
		// → 1; F of 5 → below 1, equal 2, p = 2/3 → 4. Monetary 900, 50, 2000 → M 3, 1, 5.
		// FM = ⌊(F + M + 1)/2⌋: (4+3+1)/2 = 4, (1+1+1)/2 → 1, (4+5+1)/2 = 5.
		// Segments: (5, 4) champions, (3, 1) about_to_sleep, (1, 5) cant_lose.
		expect(
			scoreRfm([
				{ recencyDays: 0, frequency: 5, monetary: 900 },
				{ recencyDays: 30, frequency: 1, monetary: 50 },
				{ recencyDays: 300, frequency: 5, monetary: 2000 }
			])
		).toEqual([
			{ r: 5, f: 4, m: 3, fm: 4, segment: 'champions' },
			{ r: 3, f: 1, m: 1, fm: 1, segment: 'about_to_sleep' },
			{ r: 1, f: 4, m: 5, fm: 5, segment: 'cant_lose' }
		]);
	});
});
