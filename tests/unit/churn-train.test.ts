import { beforeAll, describe, expect, test } from 'vitest';
import { rocAuc } from '../../models/metrics.ts';
import { fitPreprocessor, transform, type ModelMatrix } from '../../models/preprocess.ts';
import {
	TrainedModel,
	applyPlatt,
	fitPlatt,
	trainChurnModels,
	type TrainResult
} from '../../models/train.ts';

function random(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = Math.imul(s ^ (s >>> 15), s | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** n accounts, ~20% churners; `nonlinear` makes churn depend on sign(x1 · x2) only. */
function synthetic(n: number, seed: number, nonlinear = false) {
	const u = random(seed);
	const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
	const x1: (number | null)[] = [];
	const x2: number[] = [];
	const noise: (number | null)[] = [];
	const plan: string[] = [];
	const y: number[] = [];
	for (let i = 0; i < n; i++) {
		const a = normal();
		const b = normal();
		const p = ['basic', 'pro', 'enterprise'][Math.floor(u() * 3)]!;
		const logit = nonlinear
			? 4 * Math.sign(a * b) - 1.5
			: 2.5 * a - 2 * b + (p === 'basic' ? 1.2 : 0) - 2.3;
		y.push(u() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
		x1.push(u() < 0.05 ? null : a);
		x2.push(b);
		noise.push(u() < 0.1 ? null : normal());
		plan.push(p);
	}
	const spec = [
		{ name: 'x1', kind: 'numeric' },
		{ name: 'x2', kind: 'numeric' },
		{ name: 'noise', kind: 'numeric' },
		{ name: 'plan', kind: 'categorical' }
	] as const;
	const rows = Array.from({ length: n }, (_, i) => i);
	const split = {
		train: rows.slice(0, Math.floor(n * 0.6)),
		validation: rows.slice(Math.floor(n * 0.6), Math.floor(n * 0.8))
	};
	const test = rows.slice(Math.floor(n * 0.8));
	const columns = { x1, x2, noise, plan };
	const pre = fitPreprocessor(spec, columns, split.train);
	return { X: transform(pre, columns), y, split, test, pre, columns };
}

function rowsOf(X: ModelMatrix, rows: number[]): Float32Array {
	const out = new Float32Array(rows.length * X.nCols);
	rows.forEach((r, i) => out.set(X.matrix.subarray(r * X.nCols, (r + 1) * X.nCols), i * X.nCols));
	return out;
}

const fast = { maxEpochs: 40, patience: 5, batchSize: 128 };

describe('churn model training', () => {
	const data = synthetic(2500, 7);
	let result: TrainResult;
	beforeAll(async () => {
		result = await trainChurnModels({ X: data.X, y: data.y, split: data.split, seed: 42, ...fast });
	});

	test('both models separate churners on held-out test rows (AUC > 0.9)', () => {
		const testX = rowsOf(data.X, data.test);
		const testY = data.test.map((r) => data.y[r]!);
		for (const kind of ['logistic', 'mlp'] as const) {
			expect(rocAuc(result.models[kind].predict(testX), testY)).toBeGreaterThan(0.9);
			expect(result.validation[kind].rocAuc).toBeGreaterThan(0.9);
		}
	});

	test('the candidate follows validation loss; on linear data the baseline is kept', () => {
		const { logistic, mlp } = result.validation;
		expect(result.candidate).toBe(mlp.loss < logistic.loss - 0.002 ? 'mlp' : 'logistic');
		expect(result.candidate).toBe('logistic');
		// The selection loss (computed in JS on every validation row) is the loss TensorFlow.js
		// computed for early stopping at the restored weights (no sampling below 200k rows).
		for (const kind of ['logistic', 'mlp'] as const) {
			expect(result.validation[kind].loss).toBeCloseTo(
				result.models[kind].training!.validationLoss,
				5
			);
		}
		// Early stopping restored the best epoch, which is before the last one when it stopped.
		for (const v of [logistic, mlp]) {
			expect(v.bestEpoch).toBeGreaterThan(0);
			expect(v.bestEpoch).toBeLessThanOrEqual(v.epochs);
		}
	});

	test('Platt calibration is kept only when it lowers validation Brier', () => {
		for (const kind of ['logistic', 'mlp'] as const) {
			const v = result.validation[kind];
			expect(v.calibrated).toBe(v.brier! < v.brierRaw!);
			expect(result.models[kind].platt !== null).toBe(v.calibrated);
			expect(v.brier).toBeLessThanOrEqual(v.brierRaw!);
		}
		// Balanced class weights inflate raw churn probabilities; calibration must pull them back.
		expect(result.validation.logistic.calibrated).toBe(true);
	});

	test('serialisation round trip predicts identically', () => {
		for (const kind of ['logistic', 'mlp'] as const) {
			const model = result.models[kind];
			const again = TrainedModel.fromJSON(JSON.parse(JSON.stringify(model)));
			expect(again.predict(data.X.matrix)).toEqual(model.predict(data.X.matrix));
			expect(again.toJSON()).toEqual(model.toJSON());
		}
		expect(() => TrainedModel.fromJSON({ format: 'other' })).toThrow(/Not a churn model/);
	});

	test('same seed → same predictions; another seed → different ones', async () => {
		const small = synthetic(800, 3);
		const run = (seed: number) =>
			trainChurnModels({ X: small.X, y: small.y, split: small.split, seed, ...fast, maxEpochs: 8 });
		const [a, b, c] = [await run(1), await run(1), await run(2)];
		for (const kind of ['logistic', 'mlp'] as const) {
			const pa = a.models[kind].predict(small.X.matrix);
			expect(b.models[kind].predict(small.X.matrix)).toEqual(pa);
			expect(c.models[kind].predict(small.X.matrix)).not.toEqual(pa);
		}
		expect(b.validation).toEqual(a.validation);
	});

	test('checks every checkEvery rows on a large training set, and stops within patience checks', async () => {
		const small = synthetic(800, 3);
		const nTrain = small.split.train.length;
		const checkEvery = 96; // a fifth of an epoch (nTrain = 480)
		const r = await trainChurnModels({
			...{ X: small.X, y: small.y, split: small.split, seed: 5 },
			...{ maxEpochs: 3, patience: 1000, batchSize: 32, checkEvery, validationSample: 50 }
		});
		expect(nTrain).toBe(480);
		for (const kind of ['logistic', 'mlp'] as const) {
			const t = r.models[kind].training!;
			expect(t.checkEvery).toBe(checkEvery);
			// Never stopped (patience 1000): three whole epochs, the best at a check (a multiple of 96 rows).
			expect(t.epochs).toBe(3);
			expect(Number.isInteger(Math.round(t.bestEpoch * nTrain) / checkEvery)).toBe(true);
		}
		// No check after the first improves by minDelta 10: with patience 2 it stops at the third
		// check (288 rows = 0.6 epochs), keeping the first check's weights (96 rows = 0.2 epochs).
		const early = await trainChurnModels({
			...{ X: small.X, y: small.y, split: small.split, seed: 5 },
			...{ maxEpochs: 3, patience: 2, minDelta: 10, batchSize: 32, checkEvery }
		});
		for (const kind of ['logistic', 'mlp'] as const) {
			const t = early.models[kind].training!;
			expect([t.epochs, t.bestEpoch]).toEqual([0.6, 0.2]);
		}
	});

	test('above 100k training rows the default batch is 512 at twice the learning rates', async () => {
		const big = synthetic(170_000, 11); // 102,000 training rows
		const r = await trainChurnModels({
			...{ X: big.X, y: big.y, split: big.split, seed: 1, maxEpochs: 1 }
		});
		expect(big.split.train.length).toBe(102_000);
		expect(r.models.logistic.training).toMatchObject({ batchSize: 512, learningRate: 0.04 });
		expect(r.models.mlp.training).toMatchObject({ batchSize: 512, learningRate: 0.01 });
		// Explicit options win; small sets keep 256.
		const explicit = await trainChurnModels({
			...{ X: big.X, y: big.y, split: big.split, seed: 1, maxEpochs: 1, batchSize: 2048 },
			mlp: { learningRate: 0.003 }
		});
		expect(explicit.models.logistic.training).toMatchObject({
			batchSize: 2048,
			learningRate: 0.02
		});
		expect(explicit.models.mlp.training).toMatchObject({ batchSize: 2048, learningRate: 0.003 });
		const small = synthetic(800, 3);
		const defaults = await trainChurnModels({
			...{ X: small.X, y: small.y, split: small.split, seed: 1, maxEpochs: 1 }
		});
		expect(defaults.models.mlp.training).toMatchObject({ batchSize: 256, learningRate: 0.005 });
	});

	test('on an interaction the logistic cannot express, the MLP becomes the candidate', async () => {
		const xor = synthetic(1500, 11, true);
		const r = await trainChurnModels({ X: xor.X, y: xor.y, split: xor.split, seed: 5, ...fast });
		expect(r.candidate).toBe('mlp');
		expect(r.validation.mlp.rocAuc).toBeGreaterThan(0.85);
		expect(r.validation.logistic.rocAuc).toBeLessThan(0.65);
	});

	test('a validation set with one class is refused with a usable message', async () => {
		const y = data.y.map((v, i) => (data.split.validation.includes(i) ? 0 : v));
		await expect(
			trainChurnModels({ X: data.X, y, split: data.split, seed: 1, ...fast })
		).rejects.toThrow(/validation rows \(500\) hold no churner/);
	});
});

describe('Platt scaling', () => {
	test('recovers a known logistic link', () => {
		const u = random(9);
		const scores: number[] = [];
		const labels: number[] = [];
		for (let i = 0; i < 4000; i++) {
			const s = 6 * u() - 3;
			scores.push(s);
			labels.push(u() < 1 / (1 + Math.exp(-(0.5 * s - 1))) ? 1 : 0);
		}
		const platt = fitPlatt(scores, labels);
		// Sampling noise on 4000 draws is a few hundredths; the fit must land near the truth...
		expect(Math.abs(platt.a - 0.5)).toBeLessThan(0.1);
		expect(Math.abs(platt.b + 1)).toBeLessThan(0.15);
		// ...and exactly at the optimum of Platt's objective (targets (N₊+1)/(N₊+2), 1/(N₋+2)).
		const pos = labels.reduce((s, v) => s + v, 0);
		const [hi, lo] = [(pos + 1) / (pos + 2), 1 / (labels.length - pos + 2)];
		let [ga, gb] = [0, 0];
		scores.forEach((s, i) => {
			const d = 1 / (1 + Math.exp(-(platt.a * s + platt.b))) - (labels[i] ? hi : lo);
			ga += d * s;
			gb += d;
		});
		expect(Math.abs(ga) + Math.abs(gb)).toBeLessThan(1e-6);
		expect(applyPlatt(platt, [0])[0]).toBeCloseTo(1 / (1 + Math.exp(-platt.b)), 6);
	});
});
