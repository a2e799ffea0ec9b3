/**
 * Why an account scores high, by occlusion (tests/unit/churn-drivers.test.ts): replace one raw
 * feature at a time by its typical training value (mean for numeric, most common level for
 * categorical), re-score, and call contribution = p(original) − p(occluded). A positive
 * contribution means the account's actual value pushes its risk up. Occluding a numeric feature
 * also clears its missing indicator (the mean is a present value).
 *
 * Because the preprocessor encodes each feature into its own columns, "re-run preprocess" is done
 * by transforming once and overwriting the occluded feature's columns in a copy: one predict call
 * per feature for a whole chunk of accounts.
 */
import {
	columnsOf,
	encodeValue,
	transform,
	typicalValues,
	type Preprocessor,
	type RawColumns,
	type RawValue
} from './preprocess.ts';
import type { TrainedModel } from './train.ts';

export interface Driver {
	readonly feature: string;
	readonly value: RawValue;
	readonly typical: number | string;
	/** p(actual) − p(with this feature at its typical value), in probability points (0–1). */
	readonly contribution: number;
}

export interface DriverBatch {
	/** Churn probability per account. */
	readonly probability: Float32Array;
	readonly k: number;
	/** Per account, k slots: index into pre.features (−1 = no further positive driver). */
	readonly feature: Int32Array;
	readonly contribution: Float32Array;
}

/** Accounts per chunk: the matrix, its occluded copy and the predictions stay a few tens of MB. */
const CHUNK = 65_536;

/**
 * Occlusion drivers for many accounts: one transform and (features + 1) predict calls per chunk.
 * rows default to every row of the columns.
 */
export function driversBatch(
	model: TrainedModel,
	pre: Preprocessor,
	columns: RawColumns,
	rows?: readonly number[],
	options: { k?: number; typical?: Readonly<Record<string, number | string>> } = {}
): DriverBatch {
	const k = options.k ?? 3;
	const typical = options.typical ?? typicalValues(pre);
	const first = pre.features[0];
	const nRows = rows ? rows.length : first ? (columns[first.name]?.length ?? 0) : 0;
	const spans = columnsOf(pre);
	const nCols = pre.columnNames.length;
	// The encoded typical value of each feature, written over its columns when occluding.
	const typicalCode = pre.features.map((f, fi) => {
		const code = new Float32Array(nCols);
		encodeValue(f, typical[f.name], code, 0);
		return code.subarray(0, spans[fi]![1]);
	});
	const probability = new Float32Array(nRows);
	const feature = new Int32Array(nRows * k).fill(-1);
	const contribution = new Float32Array(nRows * k);

	for (let start = 0; start < nRows; start += CHUNK) {
		const count = Math.min(CHUNK, nRows - start);
		const chunkRows = Array.from({ length: count }, (_, i) =>
			rows ? rows[start + i]! : start + i
		);
		const { matrix } = transform(pre, columns, chunkRows);
		const base = model.predict(matrix);
		probability.set(base, start);
		const occluded = new Float32Array(matrix.length);
		pre.features.forEach((_, fi) => {
			const col = spans[fi]![0];
			const code = typicalCode[fi]!;
			occluded.set(matrix);
			for (let i = 0; i < count; i++) occluded.set(code, i * nCols + col);
			const p = model.predict(occluded);
			for (let i = 0; i < count; i++) {
				const c = base[i]! - p[i]!;
				if (!(c > 0)) continue;
				// Insert into this account's top-k (descending), k is tiny.
				const slot = (start + i) * k;
				let j = k - 1;
				if (feature[slot + j]! !== -1 && contribution[slot + j]! >= c) continue;
				while (j > 0 && (feature[slot + j - 1] === -1 || contribution[slot + j - 1]! < c)) {
					feature[slot + j] = feature[slot + j - 1]!;
					contribution[slot + j] = contribution[slot + j - 1]!;
					j--;
				}
				feature[slot + j] = fi;
				contribution[slot + j] = c;
			}
		});
	}
	return { probability, k, feature, contribution };
}

/** The drivers of account i of a batch (i indexes `rows` as passed to driversBatch). */
export function driversOf(
	batch: DriverBatch,
	pre: Preprocessor,
	columns: RawColumns,
	row: number,
	i: number,
	typical: Readonly<Record<string, number | string>> = typicalValues(pre)
): Driver[] {
	const out: Driver[] = [];
	for (let j = 0; j < batch.k; j++) {
		const fi = batch.feature[i * batch.k + j]!;
		if (fi < 0) break;
		const f = pre.features[fi]!;
		out.push({
			feature: f.name,
			value: columns[f.name]?.[row] ?? null,
			typical: typical[f.name]!,
			contribution: batch.contribution[i * batch.k + j]!
		});
	}
	return out;
}

/** The k largest positive occlusion contributions for one raw account row. */
export function topDrivers(
	model: TrainedModel,
	pre: Preprocessor,
	rawRow: Readonly<Record<string, RawValue>>,
	typical: Readonly<Record<string, number | string>> = typicalValues(pre),
	k = 3
): Driver[] {
	const columns = Object.fromEntries(pre.features.map((f) => [f.name, [rawRow[f.name] ?? null]]));
	const batch = driversBatch(model, pre, columns, [0], { k, typical });
	return driversOf(batch, pre, columns, 0, 0, typical);
}
