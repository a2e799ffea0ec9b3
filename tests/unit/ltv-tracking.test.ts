import { describe, expect, test } from 'vitest';
import {
	expectedTransactionsNew,
	trackingCurve,
	type BgnbdParams
} from '../../analytics/ltv/index.ts';

const PUBLISHED: BgnbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const EX = (days: number) => expectedTransactionsNew(PUBLISHED, days / 7);

describe('the weekly cumulative tracking curve', () => {
	// Two customers acquired on Jan 1 and one on Jan 4; repeat purchase days: one on Jan 4 (by a
	// customer of Jan 1), two on Jan 9.
	const days = {
		day: ['2024-01-01', '2024-01-04', '2024-01-09'],
		firstPurchases: [2, 1, 0],
		repeatPurchases: [0, 1, 2]
	};
	const curve = trackingCurve(PUBLISHED, days, {
		calibrationEnd: '2024-01-05',
		holdoutEnd: '2024-01-10'
	});

	test('weeks run from the first purchase day; the last one ends at the holdout end', () => {
		expect(curve.start).toBe('2024-01-01');
		expect(curve.weeks.map((w) => [w.week, w.weekEnd, w.actualCumulative])).toEqual([
			[1, '2024-01-07', 1],
			[2, '2024-01-10', 3]
		]);
	});

	test('expected = Σ customers × E[X(age in days / 7)] at the end of the day', () => {
		expect(curve.weeks[0]!.expectedCumulative).toBeCloseTo(2 * EX(6) + EX(3), 14);
		expect(curve.weeks[1]!.expectedCumulative).toBeCloseTo(2 * EX(9) + EX(6), 14);
	});

	test('the comparisons at the period ends, which need not end a week', () => {
		const expected = 2 * EX(4) + EX(1);
		expect(curve.calibrationEnd).toEqual({
			day: '2024-01-05',
			actual: 1,
			expected,
			errorPercent: (expected - 1) * 100
		});
		expect(curve.holdoutEnd.actual).toBe(3);
		expect(curve.holdoutEnd.expected).toBe(curve.weeks[1]!.expectedCumulative);
	});

	test('a customer acquired on the day is 0 weeks old and adds nothing yet', () => {
		const one = trackingCurve(
			PUBLISHED,
			{ day: ['2024-01-01'], firstPurchases: [5], repeatPurchases: [0] },
			{ calibrationEnd: '2024-01-01', holdoutEnd: '2024-01-01' }
		);
		expect(one.weeks).toEqual([
			{ week: 1, weekEnd: '2024-01-01', actualCumulative: 0, expectedCumulative: 0 }
		]);
		expect(one.calibrationEnd.errorPercent).toBeNull();
	});

	test('no cohort, no curve', () => {
		const none = trackingCurve(
			PUBLISHED,
			{ day: [], firstPurchases: [], repeatPurchases: [] },
			{ calibrationEnd: '2024-01-05', holdoutEnd: '2024-01-10' }
		);
		expect(none.start).toBeNull();
		expect(none.weeks).toEqual([]);
		expect(none.holdoutEnd).toEqual({
			day: '2024-01-10',
			actual: 0,
			expected: 0,
			errorPercent: null
		});
	});
});
