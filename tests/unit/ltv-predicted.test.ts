import { describe, expect, test } from 'vitest';
import { predictedLtv, type PredictedLtvInput } from '../../analytics/ltv/index.ts';

const base: PredictedLtvInput = {
	bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
	gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
	// The published example customer: E[Y(39)] = 1.226.
	customer: { x: 2, tx: 30.43, T: 38.86, mx: 22.345 },
	horizon: 39,
	margin: 0.3
};

describe('predicted LTV', () => {
	test('undiscounted: expected transactions × expected spend × margin', () => {
		const spend = (6.25 * (15.44 + 2 * 22.345)) / (6.25 * 2 + 3.74 - 1);
		expect(predictedLtv(base) / (1.226 * spend * 0.3)).toBeCloseTo(1, 3);
	});

	test('a customer without repeats is valued at the population mean spend', () => {
		const newcomer = { ...base, customer: { x: 0, tx: 0, T: 10, mx: NaN } };
		const populationMean = (6.25 * 15.44) / (3.74 - 1);
		const transactions = predictedLtv(newcomer) / (populationMean * 0.3);
		expect(transactions).toBeGreaterThan(0);
		expect(
			predictedLtv({ ...newcomer, gammaGamma: { p: 1, q: 2, gamma: 100 }, margin: 1 })
		).toBeCloseTo(transactions * 100, 10);
	});

	test('discounting lies between discounting everything at the first week and at the horizon', () => {
		const undiscounted = predictedLtv({ ...base, horizon: 52 });
		const rate = 0.25;
		const discounted = predictedLtv({ ...base, horizon: 52, annualDiscountRate: rate });
		const weeksPerYear = 365.25 / 7;
		expect(discounted).toBeLessThan(undiscounted * Math.pow(1 + rate, -1 / weeksPerYear));
		expect(discounted).toBeGreaterThan(undiscounted * Math.pow(1 + rate, -52 / weeksPerYear));
		// A vanishing rate telescopes back to the undiscounted value; a partial last week counts.
		expect(predictedLtv({ ...base, horizon: 52, annualDiscountRate: 1e-12 })).toBeCloseTo(
			undiscounted,
			9
		);
		expect(predictedLtv({ ...base, horizon: 51.5, annualDiscountRate: 1e-12 })).toBeCloseTo(
			predictedLtv({ ...base, horizon: 51.5 }),
			9
		);
	});

	test('refuses a negative horizon', () => {
		expect(() => predictedLtv({ ...base, horizon: -1 })).toThrow(/horizon = -1/);
	});
});
