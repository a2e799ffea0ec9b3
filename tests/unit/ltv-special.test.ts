import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { gammaSign, hyp2f1, logBeta, logGamma } from '../../analytics/ltv/special.ts';

const EULER_GAMMA = 0.5772156649015329;
const ZETA_3 = 1.2020569031595942;
const ZETA_5 = 1.03692775514337;

/** |actual − expected| ≤ tolerance · max(1, |expected|). */
function expectClose(actual: number, expected: number, tolerance: number): void {
	expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
		tolerance * Math.max(1, Math.abs(expected))
	);
}

function factorial(n: number): number {
	let f = 1;
	for (let i = 2; i <= n; i++) f *= i;
	return f;
}

describe('logGamma', () => {
	test('matches factorials and Γ(1/2) = √π', () => {
		expectClose(logGamma(1), 0, 1e-14);
		expectClose(logGamma(2), 0, 1e-14);
		expectClose(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
		expectClose(logGamma(10), Math.log(362880), 1e-14);
		for (let n = 1; n <= 20; n++) expectClose(logGamma(n + 1), Math.log(factorial(n)), 1e-14);
	});

	test('matches Γ(n + 1/2) = (2n)! √π / (4ⁿ n!)', () => {
		for (let n = 1; n <= 12; n++) {
			const expected = Math.log((factorial(2 * n) * Math.sqrt(Math.PI)) / (4 ** n * factorial(n)));
			expectClose(logGamma(n + 0.5), expected, 1e-14);
		}
	});

	test('near 0 matches the series log Γ(ε) = −log ε − γε + Σ (−1)ᵏ ζ(k) εᵏ / k', () => {
		const e = 1e-3;
		const expected =
			-Math.log(e) -
			EULER_GAMMA * e +
			((Math.PI ** 2 / 6) * e ** 2) / 2 -
			(ZETA_3 * e ** 3) / 3 +
			((Math.PI ** 4 / 90) * e ** 4) / 4 -
			(ZETA_5 * e ** 5) / 5;
		expectClose(logGamma(e), expected, 1e-14);
		expectClose(logGamma(1e-10), -Math.log(1e-10) - EULER_GAMMA * 1e-10, 1e-15);
	});

	test('for large arguments matches Stirling’s series to relative 1e-14', () => {
		for (const x of [50, 1e3, 1e6, 1e10]) {
			const stirling =
				(x - 0.5) * Math.log(x) -
				x +
				0.5 * Math.log(2 * Math.PI) +
				1 / (12 * x) -
				1 / (360 * x ** 3) +
				1 / (1260 * x ** 5);
			expect(Math.abs(logGamma(x) / stirling - 1)).toBeLessThan(1e-14);
		}
	});

	test('reflects below 0: Γ(−1/2) = −2√π, Γ(−3/2) = 4√π/3, poles at 0, −1, …', () => {
		expectClose(logGamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), 1e-14);
		expect(gammaSign(-0.5)).toBe(-1);
		expectClose(logGamma(-1.5), Math.log((4 * Math.sqrt(Math.PI)) / 3), 1e-14);
		expect(gammaSign(-1.5)).toBe(1);
		expect(logGamma(0)).toBe(Infinity);
		expect(logGamma(-3)).toBe(Infinity);
		expect(gammaSign(-3)).toBeNaN();
	});

	test('satisfies Γ(x + 1) = x Γ(x) across the range', () => {
		fc.assert(
			fc.property(fc.double({ min: 1e-6, max: 1e4, noNaN: true }), (x) => {
				const gap = logGamma(x + 1) - logGamma(x) - Math.log(x);
				expect(Math.abs(gap)).toBeLessThanOrEqual(2e-13 * Math.max(1, Math.abs(logGamma(x))));
			}),
			{ numRuns: 300 }
		);
	});

	test('logBeta is log of Γ(a)Γ(b)/Γ(a + b)', () => {
		expectClose(logBeta(2, 3), Math.log(1 / 12), 1e-14);
		expectClose(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-14);
	});
});

describe('hyp2f1', () => {
	test('₂F₁(1, 1; 2; z) = −log(1 − z)/z, near 1 and through the z < 0 transformation', () => {
		for (const z of [0.3, 0.75, 0.9, -0.5, -3, -100]) {
			expectClose(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z, 1e-14);
		}
		// c − a − b = 0: the long-series path, tens of thousands of terms.
		expectClose(hyp2f1(1, 1, 2, 0.999), -Math.log(0.001) / 0.999, 1e-12);
	});

	test('₂F₁(a, b; b; z) = (1 − z)^−a, including via the 1 − z transformation', () => {
		for (const z of [0.5, 0.95, 0.999999, -2]) {
			expectClose(hyp2f1(0.7, 2.2, 2.2, z), Math.pow(1 - z, -0.7), 1e-13);
		}
	});

	test('matches arcsin, arctan and polynomial closed forms', () => {
		expectClose(hyp2f1(0.5, 0.5, 1.5, 0.81), Math.asin(0.9) / 0.9, 1e-14);
		expectClose(hyp2f1(0.5, 1, 1.5, -9), Math.atan(3) / 3, 1e-14);
		const [b, c, z] = [2.5, 1.7, 0.8];
		expectClose(
			hyp2f1(-2, b, c, z),
			1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)),
			1e-14
		);
	});

	test('uses Gauss’s theorem at z = 1', () => {
		// Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2
		expectClose(hyp2f1(1, 1, 3, 1), 2, 1e-14);
		expect(hyp2f1(1, 1, 2, 1)).toBe(Infinity);
	});

	test('matches reference values (mpmath 1.3, 50 digits)', () => {
		expect(hyp2f1(2.243, 4.426, 5.219, 0.5) / 3.614707706823282 - 1).toBeCloseTo(0, 14);
		expect(hyp2f1(2.243, 4.426, 5.219, 0.95) / 167.89884773237122 - 1).toBeCloseTo(0, 13);
		expect(hyp2f1(2.243, 4.426, 5.219, 0.99999) / 44583055.80623667 - 1).toBeCloseTo(0, 13);
		expect(hyp2f1(1.2, 0.7, -0.4, 0.97) / -11124.962572636154 - 1).toBeCloseTo(0, 13);
		expect(hyp2f1(2, 3, 1.3, 0.9999) / 1180796537683998.0 - 1).toBeCloseTo(0, 13);
		expect(hyp2f1(0.3, 0.4, 0.5, -20) / 0.4677659990283504 - 1).toBeCloseTo(0, 14);
	});

	test('refuses arguments where it is undefined', () => {
		expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(/outside the supported range/);
		expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/non-positive integer/);
	});
});
