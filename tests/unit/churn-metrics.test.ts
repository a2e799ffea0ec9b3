import { describe, expect, test } from 'vitest';
import {
	brier,
	calibrationCurve,
	evaluate,
	expectedCalibrationError,
	liftAt,
	prAuc,
	precisionAt,
	rocAuc
} from '../../models/metrics.ts';

// Six accounts worked out by hand: churners at 0.9, 0.7 and 0.2; non-churners at 0.8, 0.6, 0.4.
const p = [0.9, 0.8, 0.7, 0.6, 0.4, 0.2];
const y = [1, 0, 1, 0, 0, 1];

describe('churn metrics on six hand-computed predictions', () => {
	test('ROC AUC counts churner-over-non-churner pairs', () => {
		// 0.9 beats all 3 non-churners, 0.7 beats 0.6 and 0.4, 0.2 beats none: 5 of 9 pairs.
		expect(rocAuc(p, y)).toBeCloseTo(5 / 9, 12);
	});

	test('PR AUC is the step-wise average precision', () => {
		// Recall steps of 1/3 at ranks 1, 3, 6 with precision 1, 2/3, 1/2: (1 + 2/3 + 1/2) / 3.
		expect(prAuc(p, y)).toBeCloseTo(13 / 18, 12);
	});

	test('Brier score', () => {
		// Squared errors 0.01, 0.64, 0.09, 0.36, 0.16, 0.64 sum to 1.9.
		expect(brier(p, y)).toBeCloseTo(1.9 / 6, 12);
	});

	test('calibration curve: mean predicted vs observed per bin, with counts', () => {
		const curve = calibrationCurve(p, y, 2);
		expect(curve).toHaveLength(2);
		// [0, 0.5): 0.4 and 0.2, one churner. [0.5, 1]: 0.9, 0.8, 0.7, 0.6, two churners.
		expect(curve[0]).toMatchObject({ lower: 0, upper: 0.5, count: 2, observedRate: 0.5 });
		expect(curve[0]!.meanPredicted).toBeCloseTo(0.3, 12);
		expect(curve[1]).toMatchObject({ lower: 0.5, upper: 1, count: 4, observedRate: 0.5 });
		expect(curve[1]!.meanPredicted).toBeCloseTo(0.75, 12);
		// (2/6)·|0.3 − 0.5| + (4/6)·|0.75 − 0.5| = 7/30.
		expect(expectedCalibrationError(curve)).toBeCloseTo(7 / 30, 12);
	});

	test('calibration: empty bins are null and p = 1 lands in the last bin', () => {
		const curve = calibrationCurve([1, 0.05], [1, 0], 10);
		expect(curve[9]).toMatchObject({ count: 1, meanPredicted: 1, observedRate: 1 });
		expect(curve[0]).toMatchObject({ count: 1, observedRate: 0 });
		expect(curve[5]).toMatchObject({ count: 0, meanPredicted: null, observedRate: null });
	});

	test('precision and lift at the top share (⌈share · n⌉ accounts)', () => {
		// Top 10%: ⌈0.6⌉ = 1 account (0.9, churned): precision 1, lift 1 / 0.5 = 2.
		expect(precisionAt(p, y, 0.1)).toBe(1);
		expect(liftAt(p, y, 0.1)).toBe(2);
		// Top 20%: ⌈1.2⌉ = 2 accounts (0.9 churned, 0.8 not): precision 0.5, lift 1.
		expect(precisionAt(p, y, 0.2)).toBe(0.5);
		expect(liftAt(p, y, 0.2)).toBe(1);
		// Top half: 3 accounts, 2 churned.
		expect(precisionAt(p, y, 0.5)).toBeCloseTo(2 / 3, 12);
		expect(liftAt(p, y, 0.5)).toBeCloseTo(4 / 3, 12);
	});

	test('ties: AUC counts a tie one half, AP takes tied scores together', () => {
		expect(rocAuc([0.5, 0.5, 0.1], [1, 0, 0])).toBe(0.75);
		expect(prAuc([0.5, 0.5, 0.1], [1, 0, 0])).toBe(0.5);
	});

	test('undefined cases are null; mismatched lengths and bad shares throw', () => {
		expect(rocAuc([0.2, 0.3], [0, 0])).toBeNull();
		expect(prAuc([0.2, 0.3], [0, 0])).toBeNull();
		expect(liftAt([0.2, 0.3], [0, 0], 0.5)).toBeNull();
		expect(brier([], [])).toBeNull();
		expect(() => rocAuc([0.1], [])).toThrow(/1 predictions but 0 outcomes/);
		expect(() => precisionAt(p, y, 0)).toThrow(/share/);
	});

	test('evaluate gathers the same numbers', () => {
		const e = evaluate(p, y);
		expect(e).toMatchObject({ n: 6, positives: 3, top10: { precision: 1, lift: 2 } });
		expect(e.rocAuc).toBeCloseTo(5 / 9, 12);
		expect(e.prAuc).toBeCloseTo(13 / 18, 12);
		expect(e.calibration).toHaveLength(10);
		expect(JSON.parse(JSON.stringify(e))).toEqual(e);
	});
});
