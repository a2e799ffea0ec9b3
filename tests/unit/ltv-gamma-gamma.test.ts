import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
	expectedAverageValue,
	fitGammaGamma,
	gammaGammaLogLikelihood,
	summarizeCalibration,
	type GammaGammaParams
} from '../../analytics/ltv/index.ts';

/** Rising factorial (v)ₙ = Γ(v+n)/Γ(v). */
function rising(v: number, n: number): number {
	let product = 1;
	for (let k = 0; k < n; k++) product *= v + k;
	return product;
}

describe('Gamma-Gamma formulas', () => {
	test('the log-likelihood is the log of the density computed directly', () => {
		// f = Γ(px+q)/(Γ(px)Γ(q)) · γ^q · m^(px−1) · x^(px) / (γ + m·x)^(px+q); p = 2, q = 3, γ = 4.
		const f1 = (((24 / (1 * 2)) * 64 * 10) / Math.pow(14, 5)) * 1; // x = 1, m = 10: px = 2
		const f2 = ((40320 / (120 * 2)) * 64 * Math.pow(5, 5) * Math.pow(3, 6)) / Math.pow(19, 9); // x = 3, m = 5
		const ll = gammaGammaLogLikelihood({ p: 2, q: 3, gamma: 4 }, [1, 3], [10, 5]);
		expect(ll).toBeCloseTo(Math.log(f1) + Math.log(f2), 12);

		// Non-integer p with integer q: Γ(px+q)/Γ(px) = (px)_q.
		const [p, q, gamma, x, m] = [6.25, 4, 15.44, 2, 35.5];
		const f =
			((rising(p * x, q) / 6) * gamma ** q * m ** (p * x - 1) * x ** (p * x)) /
			(gamma + m * x) ** (p * x + q);
		expect(gammaGammaLogLikelihood({ p, q, gamma }, [x], [m])).toBeCloseTo(Math.log(f), 11);
	});

	test('the density of m_x integrates to 1', () => {
		const params: GammaGammaParams = { p: 2, q: 3, gamma: 4 };
		// m = u/(1−u) maps (0, 1) onto (0, ∞); Simpson's rule on u.
		const steps = 2000;
		let integral = 0;
		for (let k = 1; k < steps; k++) {
			const u = k / steps;
			const m = u / (1 - u);
			const density = Math.exp(gammaGammaLogLikelihood(params, [3], [m])) / (1 - u) ** 2;
			integral += (k % 2 === 1 ? 4 : 2) * density;
		}
		expect(integral / (3 * steps)).toBeCloseTo(1, 8);
	});

	test('expected spend shrinks m_x towards the population mean pγ/(q−1)', () => {
		const params = { p: 6.25, q: 3.74, gamma: 15.44 };
		expect(expectedAverageValue(params, 2, 30)).toBeCloseTo(
			(6.25 * (15.44 + 60)) / (12.5 + 2.74),
			12
		);
		expect(expectedAverageValue(params, 0, NaN)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
		expect(() => expectedAverageValue({ ...params, q: 0.9 }, 2, 30)).toThrow(/q > 1/);
	});

	test('refuses customers without a repeat purchase', () => {
		expect(() => fitGammaGamma([2, 0], [10, 5])).toThrow(
			'Gamma-Gamma data row 1: x = 0; fit only customers with a repeat purchase (x ≥ 1).'
		);
	});
});

function dayNumber(yyyymmdd: string): number {
	const [year, month, day] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)];
	return Date.UTC(Number(year), Number(month) - 1, Number(day)) / 86_400_000;
}

test('CDNOW: the fit reproduces Fader & Hardie (2013)', () => {
	const file = path.resolve(process.cwd(), '../shared/data/cdnow/CDNOW_sample.txt');
	const purchases = readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.map((line) => {
			// master id, sample id, date, CDs, dollars
			const [, id, date, , value] = line.trim().split(/\s+/);
			return { customer: Number(id), day: dayNumber(date!), value: Number(value) };
		});
	const summary = summarizeCalibration(purchases, { calibrationEndDay: dayNumber('19970930') });

	// Customer 61 bought twice on 01-20 and on 02-24: four repeat days, the first (01-04) excluded.
	const c61 = summary.customers.indexOf(61);
	expect(summary.x[c61]).toBe(4);
	expect(summary.mx[c61]).toBeCloseTo((62.9 + 15.36 + (63.95 + 24.99) + 15.36 + 31.03) / 4, 10);

	const x: number[] = [];
	const mx: number[] = [];
	summary.x.forEach((xi, i) => {
		if (xi > 0) {
			x.push(xi);
			mx.push(summary.mx[i]!);
		}
	});
	expect(x).toHaveLength(946);

	const fit = fitGammaGamma(x, mx);
	// Published to 2 decimals (log-likelihood to 4): the maximum must round to them.
	expect(fit.converged).toBe(true);
	expect(Math.abs(fit.params.p - 6.25)).toBeLessThanOrEqual(0.005);
	expect(Math.abs(fit.params.q - 3.74)).toBeLessThanOrEqual(0.005);
	expect(Math.abs(fit.params.gamma - 15.44)).toBeLessThanOrEqual(0.005);
	expect(Math.abs(fit.logLikelihood - -4055.9177)).toBeLessThanOrEqual(0.0005);
});
