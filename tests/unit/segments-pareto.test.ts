import { expect, test } from 'vitest';
import { curveFractions, paretoShares } from '../../analytics/segments/pareto-math.ts';

test('shares on a small example worked out by hand', () => {
	// Revenues 500, 300, 100, 60, 40 (total 1000); zero and negative revenue are not in the
	// population. Top 20 % = 1 account: 500/1000. Top 50 % = 2.5 accounts: (800 + 0.5 × 100)/1000.
	// Top 1 % = 0.05 accounts: 0.05 × 500/1000. Top 100 %: 1. Top 0 %: 0.
	const shares = paretoShares([100, 0, 500, 40, -20, 300, 60], [0, 0.01, 0.2, 0.5, 1]);
	expect(shares[0]).toBe(0);
	expect(shares[1]).toBeCloseTo(0.025, 12);
	expect(shares[2]).toBeCloseTo(0.5, 12);
	expect(shares[3]).toBeCloseTo(0.85, 12);
	expect(shares[4]).toBeCloseTo(1, 12);
});

test('no revenue: no shares', () => {
	expect(paretoShares([0, 0], [0.2, 1])).toEqual([null, null]);
	expect(() => paretoShares([1], [1.5])).toThrow(RangeError);
});

test('equal revenues give the diagonal', () => {
	const xs = curveFractions(8);
	expect(xs).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]);
	paretoShares([5, 5, 5, 5], xs).forEach((s, i) => expect(s).toBeCloseTo(xs[i]!, 12));
});
