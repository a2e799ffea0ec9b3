/**
 * Churn models on a preprocessed matrix (tests/unit/churn-train.test.ts): an L2-regularised
 * logistic regression baseline and a small ReLU MLP, trained with TensorFlow.js by a hand-written
 * loop so that everything random is seeded here:
 *
 * - initial weights, the per-epoch shuffle and the dropout masks all come from one mulberry32
 *   stream per model (tf.layers' fit() shuffles with Math.random, which cannot be seeded);
 * - class imbalance: the loss weights each example by n / (2 · n_class) ("balanced" class
 *   weights), so both classes carry equal total weight. The raw outputs are therefore inflated
 *   for the minority class; Platt scaling on the validation rows maps them back to probabilities;
 * - early stopping: after every check interval (an epoch, or `checkEvery` training rows when the
 *   training set is larger: at a million rows the model has converged long before an epoch ends,
 *   and `patience` whole epochs past the best would double the training time) the class-weighted
 *   log loss on the validation rows (a seeded sample of at most `validationSample` of them) is
 *   computed (no dropout, no L2 term); training stops after `patience` checks (10, but at most a
 *   million rows' worth) without an improvement of at least `minDelta`, and the best check's
 *   weights are restored;
 * - candidate: the logistic baseline, unless the MLP's best validation loss is lower by more than
 *   `preferSimplerWithin` (a small margin, so that the simpler model wins near-ties);
 * - calibration: Platt scaling (fitPlatt) is fitted on the validation rows and kept for a model
 *   when it lowers that model's validation Brier score; predict() then returns calibrated
 *   probabilities. Both Brier scores are reported.
 *
 * Serialisation is plain JSON (architecture + kernels and biases as number arrays); float32
 * weights survive the round trip exactly, so a reloaded model predicts identically.
 */
import { tf, initTf } from './tf.ts';
import { brier, prAuc, rocAuc } from './metrics.ts';
import type { ModelMatrix } from './preprocess.ts';

export type ModelKind = 'logistic' | 'mlp';

/** Platt scaling: p = σ(a · z + b) on the model's logit z. */
export interface Platt {
	readonly a: number;
	readonly b: number;
}

export interface LayerWeights {
	/** Row-major nIn × nOut. */
	readonly kernel: number[];
	readonly bias: number[];
}

export interface TrainingSummary {
	readonly seed: number;
	readonly l2: number;
	readonly dropout: number;
	readonly learningRate: number;
	readonly batchSize: number;
	readonly classWeights: { readonly negative: number; readonly positive: number };
	/** Passes over the training rows (fractional when training stopped mid-epoch). */
	readonly epochs: number;
	/** Passes over the training rows when the restored weights were taken. */
	readonly bestEpoch: number;
	/** Training rows between validation checks. */
	readonly checkEvery?: number;
	/** Class-weighted log loss at the best check, on the validation sample early stopping used. */
	readonly validationLoss: number;
}

export interface ModelJSON {
	readonly format: 'tenure-churn-model';
	readonly version: 1;
	readonly kind: ModelKind;
	readonly nInputs: number;
	/** Hidden layer widths (ReLU); [] for the logistic regression. */
	readonly hidden: readonly number[];
	readonly layers: readonly LayerWeights[];
	readonly platt: Platt | null;
	readonly training: TrainingSummary | null;
}

/** Rows scored per tensor: bounds memory at ~nCols × 256 KiB per chunk. */
const PREDICT_CHUNK = 65_536;

export class TrainedModel {
	readonly kind: ModelKind;
	readonly nInputs: number;
	readonly hidden: readonly number[];
	readonly platt: Platt | null;
	readonly training: TrainingSummary | null;
	private readonly layers: readonly { kernel: Float32Array; bias: Float32Array }[];

	constructor(json: ModelJSON) {
		const widths = [json.nInputs, ...json.hidden, 1];
		if (json.layers.length !== widths.length - 1) {
			throw new Error(
				`Churn model JSON has ${json.layers.length} layers but its architecture needs ${widths.length - 1}.`
			);
		}
		this.layers = json.layers.map((l, i) => {
			if (l.kernel.length !== widths[i]! * widths[i + 1]! || l.bias.length !== widths[i + 1]) {
				throw new Error(
					`Churn model JSON layer ${i}: expected a ${widths[i]}×${widths[i + 1]} kernel and ${widths[i + 1]} biases.`
				);
			}
			return { kernel: Float32Array.from(l.kernel), bias: Float32Array.from(l.bias) };
		});
		this.kind = json.kind;
		this.nInputs = json.nInputs;
		this.hidden = [...json.hidden];
		this.platt = json.platt;
		this.training = json.training;
	}

	static fromJSON(json: unknown): TrainedModel {
		const j = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<ModelJSON> | null;
		if (j?.format !== 'tenure-churn-model' || j.version !== 1) {
			throw new Error(
				'Not a churn model (expected format "tenure-churn-model", version 1): re-train or re-export it.'
			);
		}
		return new TrainedModel(j as ModelJSON);
	}

	toJSON(): ModelJSON {
		return {
			format: 'tenure-churn-model',
			version: 1,
			kind: this.kind,
			nInputs: this.nInputs,
			hidden: [...this.hidden],
			layers: this.layers.map((l) => ({ kernel: Array.from(l.kernel), bias: Array.from(l.bias) })),
			platt: this.platt,
			training: this.training
		};
	}

	withPlatt(platt: Platt | null): TrainedModel {
		return new TrainedModel({ ...this.toJSON(), platt });
	}

	/** The output logit per row of a row-major matrix with nInputs columns. */
	logits(matrix: Float32Array): Float32Array {
		if (matrix.length % this.nInputs !== 0) {
			throw new Error(
				`The matrix has ${matrix.length} values, not a multiple of the model's ${this.nInputs} columns: transform it with the preprocessor stored beside this model.`
			);
		}
		const nRows = matrix.length / this.nInputs;
		const out = new Float32Array(nRows);
		for (let start = 0; start < nRows; start += PREDICT_CHUNK) {
			const rows = Math.min(PREDICT_CHUNK, nRows - start);
			const z = tf.tidy(() => {
				let h: tf.Tensor2D = tf.tensor2d(
					matrix.subarray(start * this.nInputs, (start + rows) * this.nInputs),
					[rows, this.nInputs]
				);
				const widths = [this.nInputs, ...this.hidden, 1];
				this.layers.forEach((l, i) => {
					const kernel = tf.tensor2d(l.kernel, [widths[i]!, widths[i + 1]!]);
					h = tf.add(tf.matMul(h, kernel), tf.tensor1d(l.bias));
					if (i < this.layers.length - 1) h = tf.relu(h);
				});
				return h;
			});
			out.set(z.dataSync() as Float32Array, start);
			z.dispose();
		}
		return out;
	}

	/** Model probabilities before calibration. */
	predictRaw(matrix: Float32Array): Float32Array {
		return this.logits(matrix).map(sigmoid);
	}

	/** Churn probabilities (Platt-calibrated when the model carries a calibration). */
	predict(matrix: Float32Array): Float32Array {
		const z = this.logits(matrix);
		return this.platt ? applyPlatt(this.platt, z) : z.map(sigmoid);
	}
}

function sigmoid(z: number): number {
	return 1 / (1 + Math.exp(-z));
}

/**
 * Platt scaling fitted by Newton's method on (logit, label) pairs, with Platt's smoothed targets
 * (N₊+1)/(N₊+2) and 1/(N₋+2) so a small or separable validation set cannot push a → ∞.
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): Platt {
	const n = scores.length;
	let pos = 0;
	for (let i = 0; i < n; i++) pos += labels[i]!;
	const hi = (pos + 1) / (pos + 2);
	const lo = 1 / (n - pos + 2);
	const loss = (a: number, b: number) => {
		let s = 0;
		for (let i = 0; i < n; i++) {
			const z = a * scores[i]! + b;
			const t = labels[i] ? hi : lo;
			// −[t log σ(z) + (1−t) log(1−σ(z))], written stably.
			s += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
		}
		return s;
	};
	let a = 0;
	let b = Math.log((pos + 1) / (n - pos + 1));
	let current = loss(a, b);
	for (let iter = 0; iter < 100; iter++) {
		let ga = 0;
		let gb = 0;
		let haa = 1e-12;
		let hab = 0;
		let hbb = 1e-12;
		for (let i = 0; i < n; i++) {
			const s = scores[i]!;
			const p = sigmoid(a * s + b);
			const d = p - (labels[i] ? hi : lo);
			const w = p * (1 - p);
			ga += d * s;
			gb += d;
			haa += w * s * s;
			hab += w * s;
			hbb += w;
		}
		const det = haa * hbb - hab * hab;
		if (Math.abs(ga) + Math.abs(gb) < 1e-10 * n || det <= 0) break;
		const da = (hbb * ga - hab * gb) / det;
		const db = (haa * gb - hab * ga) / det;
		let step = 1;
		// Backtrack only on a real increase: near the optimum the loss is flat to rounding error.
		const tolerance = 1e-12 * Math.abs(current);
		while (step > 1e-8 && loss(a - step * da, b - step * db) > current + tolerance) step /= 2;
		if (step <= 1e-8) break;
		a -= step * da;
		b -= step * db;
		current = loss(a, b);
	}
	return { a, b };
}

export function applyPlatt(platt: Platt, scores: ArrayLike<number>): Float32Array {
	const out = new Float32Array(scores.length);
	for (let i = 0; i < out.length; i++) out[i] = sigmoid(platt.a * scores[i]! + platt.b);
	return out;
}

/** mulberry32: a small, fast, seedable PRNG; uniform in [0, 1). */
function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface ModelOptions {
	/** L2 penalty λ · Σ w² over kernels (not biases), added to the mean weighted log loss. */
	readonly l2?: number;
	readonly learningRate?: number;
	/** Hidden widths for the MLP (ignored for logistic). */
	readonly hidden?: readonly number[];
	/** Dropout rate after each hidden layer (MLP only). */
	readonly dropout?: number;
}

export interface TrainOptions {
	readonly X: ModelMatrix;
	/** Outcome per matrix row: 1 churned, 0 not. */
	readonly y: ArrayLike<number>;
	/** Matrix row indices; the preprocessor must have been fitted on `train` only. */
	readonly split: { readonly train: readonly number[]; readonly validation: readonly number[] };
	readonly seed: number;
	readonly maxEpochs?: number;
	/** Checks without improvement before stopping (default 10, at most 1M rows' worth). */
	readonly patience?: number;
	/** Training rows between validation checks (default 200,000; at most one epoch). */
	readonly checkEvery?: number;
	/** Validation rows the early-stopping loss is computed on (default 200,000; a seeded sample). */
	readonly validationSample?: number;
	readonly minDelta?: number;
	/** Default 256, or 512 with twice the learning rates above 100k training rows. */
	readonly batchSize?: number;
	/** 'balanced' (default) weights classes by n / (2 · n_class); 'none' weights all rows 1. */
	readonly classWeight?: 'balanced' | 'none';
	readonly preferSimplerWithin?: number;
	readonly logistic?: ModelOptions;
	readonly mlp?: ModelOptions;
}

export interface ValidationMetrics {
	/** Class-weighted log loss of the restored weights on every validation row (the selection criterion). */
	readonly loss: number;
	readonly rocAuc: number | null;
	readonly prAuc: number | null;
	/** Brier of the uncalibrated and of the returned (calibrated if it helped) probabilities. */
	readonly brierRaw: number | null;
	readonly brier: number | null;
	readonly calibrated: boolean;
	readonly epochs: number;
	readonly bestEpoch: number;
}

export interface TrainResult {
	readonly candidate: ModelKind;
	readonly models: { readonly logistic: TrainedModel; readonly mlp: TrainedModel };
	readonly validation: { readonly logistic: ValidationMetrics; readonly mlp: ValidationMetrics };
	readonly backend: string;
}

const DEFAULTS: Record<ModelKind, Required<ModelOptions>> = {
	logistic: { l2: 1e-4, learningRate: 0.02, hidden: [], dropout: 0 },
	mlp: { l2: 1e-4, learningRate: 0.005, hidden: [32, 16], dropout: 0.2 }
};

export async function trainChurnModels(options: TrainOptions): Promise<TrainResult> {
	const backend = await initTf();
	const { X, y, split } = options;
	if (y.length !== X.nRows) {
		throw new Error(`${X.nRows} matrix rows but ${y.length} outcomes: they must pair up 1:1.`);
	}
	const count = (rows: readonly number[]) => rows.reduce((s, r) => s + (y[r] ? 1 : 0), 0);
	const trainPositives = count(split.train);
	const valPositives = count(split.validation);
	for (const [name, rows, pos] of [
		['training', split.train, trainPositives],
		['validation', split.validation, valPositives]
	] as const) {
		if (pos === 0 || pos === rows.length) {
			throw new Error(
				`The ${name} rows (${rows.length}) hold ${pos === 0 ? 'no churner' : 'only churners'}: both outcomes are needed; widen the snapshot window or the split.`
			);
		}
	}
	const n = split.train.length;
	const classWeights =
		options.classWeight === 'none'
			? { negative: 1, positive: 1 }
			: { negative: n / (2 * (n - trainPositives)), positive: n / (2 * trainPositives) };

	// Large sets train in batches of 512 at twice the learning rates (the linear scaling rule):
	// on the 100k-account bench set (140k rows) half the CPU time of batches of 256, for a test
	// AUC of 0.9992 instead of 0.9995; small sets keep the smaller batches' finer steps.
	const large = options.batchSize === undefined && n > LARGE_SET;
	const fit = (kind: ModelKind, seed: number) =>
		fitOne(
			kind,
			{
				...DEFAULTS[kind],
				...(large ? { learningRate: DEFAULTS[kind].learningRate * 2 } : {}),
				...options[kind]
			},
			seed,
			classWeights,
			large ? { ...options, batchSize: 512 } : options
		);
	const logistic = fit('logistic', options.seed);
	const mlp = fit('mlp', (options.seed ^ 0x9e3779b9) >>> 0);

	const valX = gatherRows(X, split.validation);
	const valY = Float32Array.from(split.validation, (r) => y[r]!);
	const calibrate = (model: TrainedModel): [TrainedModel, ValidationMetrics] => {
		const z = model.logits(valX);
		const raw = z.map(sigmoid);
		const platt = fitPlatt(z, valY);
		const calibrated = applyPlatt(platt, z);
		const brierRaw = brier(raw, valY)!;
		const brierCal = brier(calibrated, valY)!;
		const useIt = brierCal < brierRaw;
		const t = model.training!;
		return [
			model.withPlatt(useIt ? platt : null),
			{
				// On every validation row (early stopping may have used a sample, a different one per
				// model), so the two candidates are compared on the same rows.
				loss: weightedLogLoss(z, valY, classWeights),
				rocAuc: rocAuc(raw, valY),
				prAuc: prAuc(raw, valY),
				brierRaw,
				brier: useIt ? brierCal : brierRaw,
				calibrated: useIt,
				epochs: t.epochs,
				bestEpoch: t.bestEpoch
			}
		];
	};
	const [logisticModel, logisticMetrics] = calibrate(logistic);
	const [mlpModel, mlpMetrics] = calibrate(mlp);
	const margin = options.preferSimplerWithin ?? 0.002;
	return {
		candidate: mlpMetrics.loss < logisticMetrics.loss - margin ? 'mlp' : 'logistic',
		models: { logistic: logisticModel, mlp: mlpModel },
		validation: { logistic: logisticMetrics, mlp: mlpMetrics },
		backend: backend.name
	};
}

/** Training rows above which the default batch is 512 (else 256). */
const LARGE_SET = 100_000;

/** Σ wᵢ · BCE(zᵢ, yᵢ) / Σ wᵢ on logits, as the training loss computes it (stable form). */
function weightedLogLoss(
	z: ArrayLike<number>,
	y: ArrayLike<number>,
	w: { negative: number; positive: number }
): number {
	let sum = 0;
	let weights = 0;
	for (let i = 0; i < z.length; i++) {
		const zi = z[i]!;
		const wi = y[i] ? w.positive : w.negative;
		sum += wi * (Math.max(zi, 0) - zi * y[i]! + Math.log1p(Math.exp(-Math.abs(zi))));
		weights += wi;
	}
	return sum / weights;
}

/** The default patience's cap, in training rows seen without an improvement. */
const PATIENCE_ROWS = 1_000_000;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** At most `max` of `rows`, drawn without replacement by `random` (all of them when fewer). */
function sampleRows(rows: readonly number[], max: number, random: () => number): readonly number[] {
	if (rows.length <= max) return rows;
	const pool = Int32Array.from(rows);
	for (let i = 0; i < max; i++) {
		const j = i + Math.floor(random() * (pool.length - i));
		const t = pool[i]!;
		pool[i] = pool[j]!;
		pool[j] = t;
	}
	return Array.from(pool.subarray(0, max));
}

function gatherRows(X: ModelMatrix, rows: readonly number[]): Float32Array {
	const out = new Float32Array(rows.length * X.nCols);
	rows.forEach((r, i) => out.set(X.matrix.subarray(r * X.nCols, (r + 1) * X.nCols), i * X.nCols));
	return out;
}

function fitOne(
	kind: ModelKind,
	opts: Required<ModelOptions>,
	seed: number,
	classWeights: { negative: number; positive: number },
	options: TrainOptions
): TrainedModel {
	const { X, y, split } = options;
	const random = rng(seed);
	const hidden = kind === 'mlp' ? [...opts.hidden] : [];
	const dropout = kind === 'mlp' ? opts.dropout : 0;
	const widths = [X.nCols, ...hidden, 1];
	const maxEpochs = options.maxEpochs ?? 200;
	const nTrain = split.train.length;
	const checkEvery = Math.min(nTrain, options.checkEvery ?? 200_000);
	// 10 checks, but never more than PATIENCE_ROWS training rows past the best: on small sets that
	// is 10 epochs, at a million rows 5 checks of 200k.
	const patience =
		options.patience ?? Math.max(1, Math.min(10, Math.floor(PATIENCE_ROWS / checkEvery)));
	const minDelta = options.minDelta ?? 1e-4;
	const batchSize = options.batchSize ?? 256;

	// He-uniform for ReLU layers, Glorot-uniform for the sigmoid output; biases start at 0.
	const vars = widths.slice(0, -1).flatMap((nIn, i) => {
		const nOut = widths[i + 1]!;
		const isOutput = i === widths.length - 2;
		const limit = isOutput ? Math.sqrt(6 / (nIn + nOut)) : Math.sqrt(6 / nIn);
		const kernel = new Float32Array(nIn * nOut).map(() => (2 * random() - 1) * limit);
		return [tf.variable(tf.tensor2d(kernel, [nIn, nOut])), tf.variable(tf.zeros([nOut]))];
	});
	const kernels = vars.filter((_, i) => i % 2 === 0);

	const forward = (x: tf.Tensor2D, masks: tf.Tensor2D[] | null): tf.Tensor1D => {
		let h: tf.Tensor2D = x;
		for (let l = 0; l < widths.length - 1; l++) {
			h = tf.add(tf.matMul(h, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]!);
			if (l < widths.length - 2) {
				h = tf.relu(h);
				if (masks) h = tf.mul(h, masks[l]!);
			}
		}
		return tf.reshape(h, [-1]);
	};
	// Σ wᵢ · BCE(zᵢ, yᵢ) / Σ wᵢ, with BCE = max(z, 0) − z·y + log(1 + e^−|z|) (stable).
	const weightedLoss = (z: tf.Tensor1D, yb: tf.Tensor1D, wb: tf.Tensor1D): tf.Scalar => {
		const bce = tf.add(tf.sub(tf.relu(z), tf.mul(z, yb)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
		return tf.div(tf.sum(tf.mul(bce, wb)), tf.sum(wb));
	};
	const weightOf = (label: number) => (label ? classWeights.positive : classWeights.negative);

	const valRows = sampleRows(split.validation, options.validationSample ?? 200_000, random);
	const valX = tf.tensor2d(gatherRows(X, valRows), [valRows.length, X.nCols]);
	const valY = tf.tensor1d(Float32Array.from(valRows, (r) => y[r]!));
	const valW = tf.tensor1d(Float32Array.from(valRows, (r) => weightOf(y[r]!)));
	const optimizer = tf.train.adam(opts.learningRate);

	const order = Int32Array.from(split.train);
	let best = { loss: Infinity, seen: 0, weights: vars.map((v) => v.dataSync().slice()) };
	let seen = 0;
	let sinceBest = 0;
	const xb = new Float32Array(batchSize * X.nCols);
	try {
		training: for (let epoch = 1; epoch <= maxEpochs; epoch++) {
			for (let i = order.length - 1; i > 0; i--) {
				const j = Math.floor(random() * (i + 1));
				const t = order[i]!;
				order[i] = order[j]!;
				order[j] = t;
			}
			for (let start = 0; start < order.length; start += batchSize) {
				const rows = Math.min(batchSize, order.length - start);
				const yArr = new Float32Array(rows);
				const wArr = new Float32Array(rows);
				for (let i = 0; i < rows; i++) {
					const r = order[start + i]!;
					xb.set(X.matrix.subarray(r * X.nCols, (r + 1) * X.nCols), i * X.nCols);
					yArr[i] = y[r]!;
					wArr[i] = weightOf(y[r]!);
				}
				// Inverted dropout: keep with probability 1 − rate, scale kept units by 1 / (1 − rate).
				const maskArrays = hidden.map((width) =>
					new Float32Array(rows * width).map(() => (random() < dropout ? 0 : 1 / (1 - dropout)))
				);
				tf.tidy(() => {
					const x = tf.tensor2d(xb.subarray(0, rows * X.nCols), [rows, X.nCols]);
					const yt = tf.tensor1d(yArr);
					const wt = tf.tensor1d(wArr);
					const masks =
						dropout > 0 ? maskArrays.map((m, l) => tf.tensor2d(m, [rows, hidden[l]!])) : null;
					optimizer.minimize(
						() => {
							const dataLoss = weightedLoss(forward(x, masks), yt, wt);
							const penalty = kernels.reduce<tf.Scalar>(
								(s, k) => tf.add(s, tf.sum(tf.square(k))),
								tf.scalar(0)
							);
							return tf.add(dataLoss, tf.mul(penalty, opts.l2));
						},
						false,
						vars
					);
				});
				const before = seen;
				seen += rows;
				if (Math.floor(seen / checkEvery) === Math.floor(before / checkEvery)) continue;
				const valLoss = tf.tidy(() => weightedLoss(forward(valX, null), valY, valW).dataSync()[0]!);
				if (valLoss < best.loss - minDelta) {
					best = { loss: valLoss, seen, weights: vars.map((v) => v.dataSync().slice()) };
					sinceBest = 0;
				} else if (++sinceBest >= patience) {
					break training;
				}
			}
		}
	} finally {
		tf.dispose([...vars, valX, valY, valW]);
		optimizer.dispose();
	}
	return new TrainedModel({
		format: 'tenure-churn-model',
		version: 1,
		kind,
		nInputs: X.nCols,
		hidden,
		layers: widths.slice(0, -1).map((_, l) => ({
			kernel: Array.from(best.weights[2 * l]!),
			bias: Array.from(best.weights[2 * l + 1]!)
		})),
		platt: null,
		training: {
			seed,
			l2: opts.l2,
			dropout,
			learningRate: opts.learningRate,
			batchSize,
			classWeights,
			epochs: round2(seen / nTrain),
			bestEpoch: round2(best.seen / nTrain),
			checkEvery,
			validationLoss: best.loss
		}
	});
}
