import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bandStats, defaultBacktestDates, rocAuc } from '../../analytics/health/metrics.ts';

const one = (risk: number, churned: boolean) => ({
	risk,
	positives: churned ? 1 : 0,
	negatives: churned ? 0 : 1
});

/** AUC by comparing every churner with every non-churner (the definition). */
function pairwiseAuc(points: { risk: number; churned: boolean }[]): number | null {
	const pos = points.filter((p) => p.churned);
	const neg = points.filter((p) => !p.churned);
	if (!pos.length || !neg.length) return null;
	let wins = 0;
	for (const p of pos) {
		for (const n of neg) wins += p.risk > n.risk ? 1 : p.risk === n.risk ? 0.5 : 0;
	}
	return wins / (pos.length * neg.length);
}

describe('rocAuc', () => {
	test('perfect, reversed and undefined rankings', () => {
		expect(rocAuc([one(90, true), one(80, true), one(10, false), one(5, false)])).toBe(1);
		expect(rocAuc([one(10, true), one(90, false)])).toBe(0);
		expect(rocAuc([one(10, true), one(20, true)])).toBeNull();
		expect(rocAuc([])).toBeNull();
	});

	test('ties count one half, by hand', () => {
		// Churners at 100 and 62.5; stayers at 0, 25, 75, 100. 100 beats 0, 25, 75 and ties 100
		// (3.5); 62.5 beats 0 and 25 (2): (3.5 + 2) / (2 × 4).
		const points = [
			one(100, true),
			one(62.5, true),
			one(0, false),
			one(25, false),
			one(75, false),
			one(100, false)
		];
		expect(rocAuc(points)).toBe(5.5 / 8);
		// Everyone tied: 1/2.
		expect(rocAuc([one(50, true), one(50, false), one(50, false)])).toBe(0.5);
	});

	test('counts per score equal the same accounts one by one', () => {
		// 3 churners and 1 stayer at 40, 2 stayers at 10: churners beat 2 stayers and tie 1 each:
		// 3 × (2 + 0.5) / (3 × 3).
		const grouped = rocAuc([
			{ risk: 40, positives: 3, negatives: 1 },
			{ risk: 10, positives: 0, negatives: 2 }
		]);
		expect(grouped).toBeCloseTo((3 * 2.5) / 9, 12);
	});

	test('property: equals the pairwise definition', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ risk: fc.integer({ min: 0, max: 10 }), churned: fc.boolean() }), {
					maxLength: 40
				}),
				(points) => {
					const expected = pairwiseAuc(points);
					const actual = rocAuc(points.map((p) => one(p.risk, p.churned)));
					if (expected === null) expect(actual).toBeNull();
					else expect(actual).toBeCloseTo(expected, 12);
				}
			),
			{ seed: 42 }
		);
	});
});

describe('bandStats', () => {
	test('precision, recall and lift by hand', () => {
		// 6 accounts, 2 churned (1/3 overall). Red: 2 of 4 → precision 1/2, recall 2/2, lift 1.5.
		const [green, yellow, red] = bandStats([
			{ band: 'green', accounts: 2, churned: 0 },
			{ band: 'yellow', accounts: 0, churned: 0 },
			{ band: 'red', accounts: 4, churned: 2 }
		]);
		expect(green).toEqual({
			band: 'green',
			accounts: 2,
			churned: 0,
			precision: 0,
			recall: 0,
			lift: 0
		});
		expect(yellow).toEqual({
			band: 'yellow',
			accounts: 0,
			churned: 0,
			precision: null,
			recall: 0,
			lift: null
		});
		expect(red!.precision).toBe(0.5);
		expect(red!.recall).toBe(1);
		expect(red!.lift).toBeCloseTo(0.5 / (2 / 6), 12);
	});

	test('without churners recall and lift are undefined', () => {
		const [b] = bandStats([{ band: 'green', accounts: 3, churned: 0 }]);
		expect(b).toMatchObject({ precision: 0, recall: null, lift: null });
	});
});

describe('defaultBacktestDates', () => {
	test('month-ends of the last 12 months whose horizon ends by the last day', () => {
		// Last day 2026-02-01, 90 days: D + 90 ≤ 02-01 → D ≤ 2025-11-03; D > 2025-02-01.
		expect(defaultBacktestDates('2026-02-01', 90)).toEqual([
			'2025-02-28',
			'2025-03-31',
			'2025-04-30',
			'2025-05-31',
			'2025-06-30',
			'2025-07-31',
			'2025-08-31',
			'2025-09-30',
			'2025-10-31'
		]);
		// 12-31 itself has no 30 days after it; 2024-12-31 is not after 2025-12-31 − 12 months.
		expect(defaultBacktestDates('2025-12-31', 30).at(-1)).toBe('2025-11-30');
		expect(defaultBacktestDates('2025-12-31', 30)[0]).toBe('2025-01-31');
	});
});
