/**
 * Population stability between the training data and today's scoring data (pure,
 * tests/unit/churn-drift.test.ts).
 *
 * PSI = Σ_bins (aᵢ − eᵢ) · ln(aᵢ / eᵢ), with eᵢ and aᵢ the shares of the expected (training) and
 * actual (scoring) values in bin i. Numeric bins are cut at the training quantiles i / bins
 * (equal cut points merge, so a feature with few distinct values gets fewer bins); categorical
 * bins are the training vocabulary plus one "other" bin. Missing values form one more bin in
 * driftReport, so a jump in missingness shows up as drift. A share of 0 is raised to
 * EMPTY_SHARE (1e-4) before the logarithm: the usual practice, which keeps an empty bin finite
 * while still making a bin that empties or fills from nothing count heavily.
 *
 * Flags follow the customary reading: PSI < 0.1 none, 0.1–0.25 moderate, ≥ 0.25 large.
 */
import {
	categoryLevel,
	isMissingNumber,
	type Preprocessor,
	type RawColumns
} from './preprocess.ts';

export const EMPTY_SHARE = 1e-4;
export const MODERATE_PSI = 0.1;
export const LARGE_PSI = 0.25;

/** Cut points at the training quantiles: value v falls in the first bin whose cut is ≥ v. */
export function quantileCuts(expected: readonly number[], bins = 10): number[] {
	const sorted = Float64Array.from(expected).sort();
	const cuts: number[] = [];
	for (let i = 1; i < bins; i++) {
		const q = sorted[Math.ceil((i * sorted.length) / bins) - 1];
		if (q !== undefined && q !== cuts[cuts.length - 1]) cuts.push(q);
	}
	return cuts;
}

function binOf(cuts: readonly number[], v: number): number {
	let lo = 0;
	let hi = cuts.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (v <= cuts[mid]!) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** PSI from two histograms over the same bins. */
export function psiFromCounts(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
	let eTotal = 0;
	let aTotal = 0;
	for (let i = 0; i < expected.length; i++) {
		eTotal += expected[i]!;
		aTotal += actual[i]!;
	}
	if (eTotal === 0 || aTotal === 0) return 0;
	let s = 0;
	for (let i = 0; i < expected.length; i++) {
		const e = Math.max(expected[i]! / eTotal, EMPTY_SHARE);
		const a = Math.max(actual[i]! / aTotal, EMPTY_SHARE);
		s += (a - e) * Math.log(a / e);
	}
	return s;
}

/** PSI of numeric samples, binned at the expected sample's quantiles. */
export function psi(expected: readonly number[], actual: readonly number[], bins = 10): number {
	const cuts = quantileCuts(expected, bins);
	const e = new Float64Array(cuts.length + 1);
	const a = new Float64Array(cuts.length + 1);
	for (const v of expected) e[binOf(cuts, v)]!++;
	for (const v of actual) a[binOf(cuts, v)]!++;
	return psiFromCounts(e, a);
}

export type DriftFlag = 'none' | 'moderate' | 'large';

export interface FeatureDrift {
	readonly feature: string;
	readonly psi: number;
	readonly flag: DriftFlag;
}

export function driftFlag(value: number): DriftFlag {
	return value >= LARGE_PSI ? 'large' : value >= MODERATE_PSI ? 'moderate' : 'none';
}

/**
 * PSI per preprocessed feature between the training columns (pass the training rows only) and
 * the scoring columns, in pre.features order.
 */
export function driftReport(
	pre: Preprocessor,
	trainColumns: RawColumns,
	scoreColumns: RawColumns,
	bins = 10
): FeatureDrift[] {
	return pre.features.map((f) => {
		const train = trainColumns[f.name];
		const score = scoreColumns[f.name];
		if (!train || !score) {
			throw new Error(
				`Drift: feature "${f.name}" is missing from the ${train ? 'scoring' : 'training'} columns.`
			);
		}
		let value: number;
		if (f.kind === 'numeric') {
			const present = (col: typeof train) =>
				col.filter((v): v is number => !isMissingNumber(v) && typeof v === 'number');
			const trainPresent = present(train);
			const cuts = quantileCuts(trainPresent, bins);
			// Bins 0…cuts.length are values, the last bin is "missing".
			const histogram = (col: typeof train) => {
				const h = new Float64Array(cuts.length + 2);
				for (const v of col) {
					if (isMissingNumber(v) || typeof v !== 'number') h[cuts.length + 1]!++;
					else h[binOf(cuts, v)]!++;
				}
				return h;
			};
			value = psiFromCounts(histogram(train), histogram(score));
		} else {
			const index = new Map(f.vocabulary.map((level, i) => [level, i]));
			const histogram = (col: typeof train) => {
				const h = new Float64Array(f.vocabulary.length + 1);
				for (const v of col) h[index.get(categoryLevel(v)) ?? f.vocabulary.length]!++;
				return h;
			};
			value = psiFromCounts(histogram(train), histogram(score));
		}
		return { feature: f.name, psi: value, flag: driftFlag(value) };
	});
}
