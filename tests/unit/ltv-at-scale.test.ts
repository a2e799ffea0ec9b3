import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
	bgnbdDayLogLikelihood,
	bgnbdLogLikelihood,
	expectedAverageValue,
	expectedTransactions,
	fitBgnbd,
	fitBgnbdAtScale,
	fitGammaGamma,
	fitGammaGammaAtScale,
	gammaGammaLogLikelihood,
	gammaGammaLogLikelihoodWithGradient,
	predictedLtv,
	probabilityAlive,
	scoreCustomers,
	summarizeCalibration,
	type BgnbdParams,
	type CalibrationSummary
} from '../../analytics/ltv/index.ts';
import { minimizeBfgs } from '../../analytics/ltv/optimize.ts';
import { digamma, logGamma } from '../../analytics/ltv/special.ts';

const EULER_GAMMA = 0.5772156649015329;

describe('digamma', () => {
	test('known values and the recurrence ψ(x+1) = ψ(x) + 1/x', () => {
		expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
		expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 14);
		// ψ(n) = −γ + Σ_{k<n} 1/k
		expect(digamma(5)).toBeCloseTo(-EULER_GAMMA + 1 + 1 / 2 + 1 / 3 + 1 / 4, 14);
		for (const x of [1e-6, 0.3, 2.7, 9.99, 10.01, 123.4]) {
			expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 8);
		}
		expect(digamma(0)).toBeNaN();
		expect(digamma(-1.5)).toBeNaN();
	});

	test('is the derivative of log Γ', () => {
		for (const x of [0.01, 0.7, 3.3, 11, 250, 6e7]) {
			const h = 1e-5 * Math.max(1, x);
			const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
			expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
		}
	});
});

describe('BFGS', () => {
	test('finds the minimum of Rosenbrock’s valley from the textbook start', () => {
		const result = minimizeBfgs(
			([x, y]) => ({
				f: (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2,
				g: [-2 * (1 - x!) - 400 * x! * (y! - x! ** 2), 200 * (y! - x! ** 2)]
			}),
			[-1.2, 1]
		);
		expect(result.converged).toBe(true);
		expect(result.x[0]).toBeCloseTo(1, 6);
		expect(result.x[1]).toBeCloseTo(1, 6);
		expect(result.iterations).toBeLessThan(100);
	});

	test('treats points outside the bounds as infinitely bad, and says when it cannot start', () => {
		const bounded = minimizeBfgs(([x]) => ({ f: (x! - 5) ** 2, g: [2 * (x! - 5)] }), [0], {
			upper: [3]
		});
		expect(bounded.converged).toBe(false);
		expect(bounded.x[0]).toBeLessThanOrEqual(3);
		expect(bounded.x[0]).toBeGreaterThan(2.9);
		const outside = minimizeBfgs(([x]) => ({ f: x! ** 2, g: [2 * x!] }), [4], { upper: [3] });
		expect(outside).toMatchObject({ converged: false, iterations: 0, fx: Infinity });
	});
});

const CDNOW_PATH = path.resolve(process.cwd(), '../shared/data/cdnow/CDNOW_sample.txt');
const dayNumber = (ymd: string) =>
	Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8))) /
	86_400_000;

/** mulberry32, for reproducible simulated customers. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Gamma(k, 1) by Marsaglia–Tsang. */
function gammaVariate(k: number, next: () => number): number {
	if (k < 1) return gammaVariate(k + 1, next) * Math.pow(next(), 1 / k);
	const d = k - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		let x: number;
		let v: number;
		do {
			x = Math.sqrt(-2 * Math.log(next() || 1e-300)) * Math.cos(2 * Math.PI * next());
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		if (Math.log(next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
	}
}

/** Customers drawn from the BG/NBD process itself, on whole days, observed for 0…maxDays days. */
function simulate(params: BgnbdParams, customers: number, maxDays: number, seed: number) {
	const next = random(seed);
	const x = new Int32Array(customers);
	const txDays = new Int32Array(customers);
	const TDays = new Int32Array(customers);
	for (let i = 0; i < customers; i++) {
		const T = Math.floor(next() * maxDays);
		const ratePerDay = gammaVariate(params.r, next) / params.alpha / 7;
		const g = gammaVariate(params.a, next);
		const dropout = g / (g + gammaVariate(params.b, next));
		let time = 0;
		let last = 0;
		let repeats = 0;
		for (;;) {
			// The model lets a customer drop out after each repeat purchase (not the first).
			if (repeats > 0 && next() < dropout) break;
			time += -Math.log(next() || 1e-300) / ratePerDay;
			const day = Math.floor(time);
			if (day > T) break;
			if (day === last) continue;
			repeats++;
			last = day;
		}
		[x[i], txDays[i], TDays[i]] = [repeats, last, T];
	}
	return { x, txDays, TDays };
}

describe('likelihoods on whole days, with gradients', () => {
	let summary: CalibrationSummary<number>;
	let days: { x: Float64Array; txDays: number[]; TDays: number[] };
	beforeAll(() => {
		const rows = readFileSync(CDNOW_PATH, 'utf8')
			.trim()
			.split('\n')
			.map((line) => {
				const [, id, date, , value] = line.trim().split(/\s+/);
				return { customer: Number(id), day: dayNumber(date!), value: Number(value) };
			});
		summary = summarizeCalibration(rows, { calibrationEndDay: dayNumber('19970930') });
		days = {
			x: summary.x,
			txDays: Array.from(summary.tx, (w) => Math.round(w * 7)),
			TDays: Array.from(summary.T, (w) => Math.round(w * 7))
		};
	});

	test('the BG/NBD value is the general likelihood’s, and the gradient its derivative', () => {
		for (const params of [
			{ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
			{ r: 2, alpha: 0.5, a: 1.7, b: 0.4 }
		]) {
			const { value, gradient } = bgnbdDayLogLikelihood(params, days);
			const general = (p: BgnbdParams) => bgnbdLogLikelihood(p, summary).total;
			expect(value).toBeCloseTo(general(params), 8);
			const keys = ['r', 'alpha', 'a', 'b'] as const;
			keys.forEach((key, k) => {
				const h = 1e-5;
				const up = general({ ...params, [key]: params[key] * Math.exp(h) });
				const down = general({ ...params, [key]: params[key] * Math.exp(-h) });
				const numeric = (up - down) / (2 * h);
				expect(Math.abs(gradient[k]! - numeric), key).toBeLessThan(1e-5 * Math.abs(numeric) + 1e-4);
			});
		}
	});

	test('the Gamma-Gamma gradient is the derivative of its likelihood', () => {
		const x: number[] = [];
		const mx: number[] = [];
		summary.x.forEach((xi, i) => {
			if (xi > 0) {
				x.push(xi);
				mx.push(summary.mx[i]!);
			}
		});
		const params = { p: 4, q: 2.5, gamma: 20 };
		const { value, gradient } = gammaGammaLogLikelihoodWithGradient(params, x, mx);
		expect(value).toBeCloseTo(gammaGammaLogLikelihood(params, x, mx), 8);
		(['p', 'q', 'gamma'] as const).forEach((key, k) => {
			const h = 1e-5;
			const up = gammaGammaLogLikelihood({ ...params, [key]: params[key] * Math.exp(h) }, x, mx);
			const down = gammaGammaLogLikelihood({ ...params, [key]: params[key] * Math.exp(-h) }, x, mx);
			const numeric = (up - down) / (2 * h);
			expect(Math.abs(gradient[k]! - numeric), key).toBeLessThan(1e-5 * Math.abs(numeric) + 1e-4);
		});
	});

	test('the fits at scale find the same maxima as the Nelder–Mead fits on CDNOW', () => {
		const reference = fitBgnbd(summary);
		// A 300-customer sample starts BFGS far from the maximum: the full-data stage must finish.
		for (const sampleSize of [300, 2000]) {
			const fit = fitBgnbdAtScale(days, { sampleSize });
			expect(fit.converged).toBe(true);
			expect(fit.n).toBe(2357);
			expect(fit.logLikelihood).toBeCloseTo(reference.logLikelihood, 6);
			for (const key of ['r', 'alpha', 'a', 'b'] as const) {
				expect(fit.params[key] / reference.params[key]).toBeCloseTo(1, 5);
			}
		}
		const x: number[] = [];
		const mx: number[] = [];
		summary.x.forEach((xi, i) => {
			if (xi > 0) {
				x.push(xi);
				mx.push(summary.mx[i]!);
			}
		});
		const spendReference = fitGammaGamma(x, mx);
		const spend = fitGammaGammaAtScale(x, mx, { sampleSize: 300 });
		expect(spend.converged).toBe(true);
		expect(spend.logLikelihood).toBeCloseTo(spendReference.logLikelihood, 6);
		for (const key of ['p', 'q', 'gamma'] as const) {
			expect(spend.params[key] / spendReference.params[key]).toBeCloseTo(1, 4);
		}
	});

	test('weights count identical customers, and impossible rows are refused with their number', () => {
		const once = bgnbdDayLogLikelihood({ r: 1, alpha: 2, a: 1, b: 1 }, days).value;
		const twice = bgnbdDayLogLikelihood(
			{ r: 1, alpha: 2, a: 1, b: 1 },
			{ ...days, weight: Array(days.x.length).fill(2) }
		).value;
		expect(twice).toBeCloseTo(2 * once, 8);
		expect(() => fitBgnbdAtScale({ x: [1, 2], txDays: [3, 9], TDays: [5, 8] })).toThrow(
			'BG/NBD data row 1: t_x = 9, T = 8 days; need whole days with 0 ≤ t_x ≤ T.'
		);
	});

	test('recovers the parameters of simulated customers', () => {
		const truth = { r: 0.8, alpha: 6, a: 0.6, b: 2.5 };
		const data = simulate(truth, 20_000, 730, 7);
		const fit = fitBgnbdAtScale(data);
		expect(fit.converged).toBe(true);
		expect(fit.n).toBe(20_000);
		// Sampling error at 20,000 customers is a few per cent; 20 % would be a wrong fit.
		for (const key of ['r', 'alpha', 'a', 'b'] as const) {
			expect(Math.abs(fit.params[key] / truth[key] - 1), key).toBeLessThan(0.2);
		}
	});
});

describe('scoring many customers', () => {
	const bgnbd = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
	const gammaGamma = { p: 6.25, q: 3.74, gamma: 15.44 };
	// Same (x, T) with different recency share one ₂F₁; heavy buyers and x = 0 included.
	const customers = [
		{ x: 0, txDays: 0, TDays: 200 },
		{ x: 2, txDays: 213, TDays: 272 },
		{ x: 2, txDays: 30, TDays: 272 },
		{ x: 2, txDays: 272, TDays: 272 },
		{ x: 7, txDays: 100, TDays: 150 },
		{ x: 300, txDays: 260, TDays: 273 },
		{ x: 1, txDays: 0, TDays: 0 }
	];
	const mx = [NaN, 22.345, 40, 10, 35.5, 12, 18];
	const input = {
		x: customers.map((c) => c.x),
		txDays: customers.map((c) => c.txDays),
		TDays: customers.map((c) => c.TDays),
		mx
	};

	test('gives every customer the values of the per-customer formulas', () => {
		for (const annualDiscountRate of [0, 0.1]) {
			const scores = scoreCustomers(input, {
				bgnbd,
				gammaGamma,
				horizons: [4, 13, 52],
				ltvHorizon: 52,
				margin: 0.3,
				annualDiscountRate
			});
			expect(scores.distinctHistories).toBe(5);
			customers.forEach((c, i) => {
				const [tx, T] = [c.txDays / 7, c.TDays / 7];
				const close = (actual: number, expected: number) =>
					expect(Math.abs(actual / expected - 1), `customer ${i}`).toBeLessThan(1e-10);
				close(scores.pAlive[i]!, probabilityAlive(bgnbd, c.x, tx, T));
				[4, 13, 52].forEach((h, k) =>
					close(scores.expected[k]![i]!, expectedTransactions(bgnbd, h, c.x, tx, T))
				);
				close(scores.expectedValue[i]!, expectedAverageValue(gammaGamma, c.x, mx[i]!));
				close(
					scores.ltv[i]!,
					predictedLtv({
						bgnbd,
						gammaGamma,
						customer: { x: c.x, tx, T, mx: mx[i]! },
						horizon: 52,
						margin: 0.3,
						annualDiscountRate
					})
				);
			});
		}
	});

	test('leaves value and LTV empty without a usable spend model', () => {
		for (const spend of [null, { p: 1, q: 0.9, gamma: 10 }]) {
			const scores = scoreCustomers(input, {
				bgnbd,
				gammaGamma: spend,
				horizons: [52],
				ltvHorizon: 52,
				margin: 0.3
			});
			expect([...scores.expectedValue].every(Number.isNaN)).toBe(true);
			expect([...scores.ltv].every(Number.isNaN)).toBe(true);
			expect(scores.expected[0]!.every(Number.isFinite)).toBe(true);
		}
	});
});

describe('E[Y(t)] on the ridge a, b → ∞', () => {
	test('stays finite and tends to the fixed-dropout limit', () => {
		// A fit of the demo data's holdout landed here: the Beta of dropout probabilities is a point
		// mass at p = a/(a+b), where E[Y(t)] = P(alive) · (1 − ((α+T)/(α+T+p·t))^(r+x)) / p.
		const [r, alpha] = [7.3, 37.8];
		const p = 43710 / (43710 + 3405200);
		for (const scale of [1, 0.1, 0.04]) {
			const params = { r, alpha, a: 43710 * scale, b: 3405200 * scale };
			for (const [x, tx, T] of [
				[0, 0, 20],
				[2, 10, 26],
				[12, 25, 26],
				[60, 100, 104]
			] as const) {
				const value = expectedTransactions(params, 26, x, tx, T);
				const limit =
					(probabilityAlive(params, x, tx, T) *
						(1 - Math.pow((alpha + T) / (alpha + T + p * 26), r + x))) /
					p;
				expect(Number.isFinite(value), `a = ${params.a}, x = ${x}`).toBe(true);
				// The Beta's spread adds a relative O(1/(a+b))-ish correction; a = 1750 is where the
				// Euler form's ₂F₁ overflows for these customers.
				expect(Math.abs(value / limit - 1), `a = ${params.a}, x = ${x}`).toBeLessThan(2e-3);
			}
		}
	});
});
