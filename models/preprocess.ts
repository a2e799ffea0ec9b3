/**
 * Churn features → model matrix (pure, tests/unit/churn-preprocess.test.ts). Everything is fitted
 * on the training rows only and stored in a JSON-able Preprocessor, so the registry can rebuild
 * the exact transform at scoring time.
 *
 * Numeric: missing (null, undefined, NaN, ±Infinity) is filled with the training median, then
 * standardised with the training mean and std of the filled values; when any training value was
 * missing, a 0/1 `name__missing` column says so (a model cannot otherwise tell a filled median
 * from a real one). Categorical: one-hot over the training vocabulary (missing is the level
 * `__missing__`), plus an always-present `name=__other__` column for levels unseen in training
 * or beyond `maxCategories`.
 */

export type RawValue = number | string | null | undefined;
export type RawColumns = Readonly<Record<string, readonly RawValue[]>>;

export interface FeatureSpec {
	readonly name: string;
	readonly kind: 'numeric' | 'categorical';
}

export interface NumericFeature {
	readonly name: string;
	readonly kind: 'numeric';
	/** Training median of the non-missing values (0 when every training value is missing). */
	readonly fill: number;
	/** Mean and population std of the training values after filling (std 1 if constant). */
	readonly mean: number;
	readonly std: number;
	/** True when some training value was missing: the transform adds a `name__missing` column. */
	readonly indicator: boolean;
}

export interface CategoricalFeature {
	readonly name: string;
	readonly kind: 'categorical';
	/** Training levels by descending count (ties by name), at most maxCategories of them. */
	readonly vocabulary: readonly string[];
	/** The most common training level: the "typical value" occlusion replaces a level with. */
	readonly mode: string;
}

export type FittedFeature = NumericFeature | CategoricalFeature;

export interface Preprocessor {
	readonly format: 'tenure-churn-preprocessor';
	readonly version: 1;
	readonly features: readonly FittedFeature[];
	/** The matrix columns, in order (see columnsOf for which belong to which feature). */
	readonly columnNames: readonly string[];
	readonly trainingRows: number;
}

export interface ModelMatrix {
	/** Row-major, nRows × nCols. */
	readonly matrix: Float32Array;
	readonly nRows: number;
	readonly nCols: number;
	readonly columnNames: readonly string[];
}

export const MISSING_LEVEL = '__missing__';
export const OTHER_LEVEL = '__other__';

export interface PreprocessOptions {
	/** Levels kept per categorical feature; rarer ones share the other column. Default 50. */
	readonly maxCategories?: number;
}

export function isMissingNumber(v: RawValue): boolean {
	return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
}

function numericValue(feature: string, v: RawValue, row: number): number | null {
	if (isMissingNumber(v)) return null;
	if (typeof v !== 'number') {
		throw new Error(
			`Feature "${feature}" is numeric but row ${row} holds the string ${JSON.stringify(v)}: convert the column to numbers (or null for missing) or declare it categorical.`
		);
	}
	return v;
}

export function categoryLevel(v: RawValue): string {
	return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))
		? MISSING_LEVEL
		: String(v);
}

function columnOf(columns: RawColumns, name: string): readonly RawValue[] {
	const col = columns[name];
	if (!col) {
		throw new Error(
			`Feature column "${name}" is missing from the data (columns given: ${Object.keys(columns).join(', ') || 'none'}).`
		);
	}
	return col;
}

function median(sorted: Float64Array): number {
	const n = sorted.length;
	if (n === 0) return 0;
	const mid = n >> 1;
	return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Fit the transform on columns[·][trainRows] only; other rows never influence it. */
export function fitPreprocessor(
	spec: readonly FeatureSpec[],
	columns: RawColumns,
	trainRows: readonly number[],
	options: PreprocessOptions = {}
): Preprocessor {
	if (trainRows.length === 0) throw new Error('fitPreprocessor needs at least one training row.');
	const maxCategories = options.maxCategories ?? 50;
	const features: FittedFeature[] = spec.map((f) => {
		const col = columnOf(columns, f.name);
		if (f.kind === 'numeric') {
			const present: number[] = [];
			for (const r of trainRows) {
				const v = numericValue(f.name, col[r], r);
				if (v !== null) present.push(v);
			}
			const fill = median(Float64Array.from(present).sort());
			const missing = trainRows.length - present.length;
			let sum = fill * missing;
			for (const v of present) sum += v;
			const mean = sum / trainRows.length;
			let ss = missing * (fill - mean) ** 2;
			for (const v of present) ss += (v - mean) ** 2;
			const std = Math.sqrt(ss / trainRows.length);
			return {
				name: f.name,
				kind: 'numeric',
				fill,
				mean,
				std: std > 1e-12 ? std : 1,
				indicator: missing > 0
			};
		}
		const counts = new Map<string, number>();
		for (const r of trainRows) {
			const level = categoryLevel(col[r]);
			counts.set(level, (counts.get(level) ?? 0) + 1);
		}
		const vocabulary = [...counts]
			.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
			.slice(0, maxCategories)
			.map(([level]) => level);
		return { name: f.name, kind: 'categorical', vocabulary, mode: vocabulary[0]! };
	});
	return {
		format: 'tenure-churn-preprocessor',
		version: 1,
		features,
		columnNames: features.flatMap(featureColumnNames),
		trainingRows: trainRows.length
	};
}

function featureColumnNames(f: FittedFeature): string[] {
	if (f.kind === 'numeric') return f.indicator ? [f.name, `${f.name}__missing`] : [f.name];
	return [...f.vocabulary, OTHER_LEVEL].map((level) => `${f.name}=${level}`);
}

/** For each feature (in pre.features order), the matrix columns it writes: [first, count]. */
export function columnsOf(pre: Preprocessor): [start: number, count: number][] {
	let start = 0;
	return pre.features.map((f) => {
		const count = featureColumnNames(f).length;
		const out: [number, number] = [start, count];
		start += count;
		return out;
	});
}

/**
 * The encoding of one raw value of feature f into its columns, written at out[offset…]. Each
 * feature writes only its own columns, which is what lets occlusion patch one feature in place.
 */
export function encodeValue(
	f: FittedFeature,
	v: RawValue,
	out: Float32Array,
	offset: number,
	row = 0,
	levelIndex?: Map<string, number>
): void {
	if (f.kind === 'numeric') {
		const x = numericValue(f.name, v, row);
		out[offset] = ((x ?? f.fill) - f.mean) / f.std;
		if (f.indicator) out[offset + 1] = x === null ? 1 : 0;
		return;
	}
	const index = levelIndex ?? new Map(f.vocabulary.map((level, i) => [level, i]));
	const n = f.vocabulary.length + 1;
	for (let j = 0; j < n; j++) out[offset + j] = 0;
	out[offset + (index.get(categoryLevel(v)) ?? f.vocabulary.length)] = 1;
}

/** Apply a fitted Preprocessor to the given rows (default: all rows of the first feature). */
export function transform(
	pre: Preprocessor,
	columns: RawColumns,
	rows?: readonly number[]
): ModelMatrix {
	const nCols = pre.columnNames.length;
	const first = pre.features[0];
	const nRows = rows ? rows.length : first ? columnOf(columns, first.name).length : 0;
	const matrix = new Float32Array(nRows * nCols);
	const spans = columnsOf(pre);
	pre.features.forEach((f, fi) => {
		const col = columnOf(columns, f.name);
		const start = spans[fi]![0];
		const levelIndex =
			f.kind === 'categorical' ? new Map(f.vocabulary.map((level, i) => [level, i])) : undefined;
		for (let i = 0; i < nRows; i++) {
			const r = rows ? rows[i]! : i;
			encodeValue(f, col[r], matrix, i * nCols + start, r, levelIndex);
		}
	});
	return { matrix, nRows, nCols, columnNames: pre.columnNames };
}

/** The value occlusion substitutes per feature: training mean (numeric) or mode (categorical). */
export function typicalValues(pre: Preprocessor): Record<string, number | string> {
	return Object.fromEntries(
		pre.features.map((f) => [f.name, f.kind === 'numeric' ? f.mean : f.mode])
	);
}
