/**
 * Evaluation of churn probabilities (pure, tests/unit/churn-metrics.test.ts). p are predicted
 * churn probabilities, y the outcomes (1 churned, 0 not), index by index.
 */
import { rocAuc as rocAucFromCounts, type ScoreCount } from '../analytics/health/metrics.ts';

type Numbers = ArrayLike<number>;

function check(p: Numbers, y: Numbers): void {
	if (p.length !== y.length) {
		throw new Error(`${p.length} predictions but ${y.length} outcomes: they must pair up 1:1.`);
	}
}

/** Indices by descending p; equal p keep input order (so "top k" is deterministic). */
function byDescendingScore(p: Numbers): Uint32Array {
	const order = new Uint32Array(p.length);
	for (let i = 0; i < order.length; i++) order[i] = i;
	return order.sort((a, b) => p[b]! - p[a]! || a - b);
}

/** Runs of equal score, highest first, with their churner / non-churner counts. */
function scoreGroups(p: Numbers, y: Numbers): ScoreCount[] {
	const order = byDescendingScore(p);
	const groups: { risk: number; positives: number; negatives: number }[] = [];
	for (const i of order) {
		const last = groups[groups.length - 1];
		const g = last && last.risk === p[i] ? last : { risk: p[i]!, positives: 0, negatives: 0 };
		if (g !== last) groups.push(g);
		if (y[i]) g.positives++;
		else g.negatives++;
	}
	return groups;
}

/** ROC AUC (ties count ½), via analytics/health/metrics.ts; null without both classes. */
export function rocAuc(p: Numbers, y: Numbers): number | null {
	check(p, y);
	return rocAucFromCounts(scoreGroups(p, y));
}

/**
 * PR AUC as average precision: AP = Σₜ (Rₜ − Rₜ₋₁) · Pₜ over the distinct scores t from high to
 * low, where Pₜ and Rₜ are precision and recall when every account scoring ≥ t is flagged (the
 * step-wise sum of scikit-learn's average_precision_score, no interpolation; tied scores enter
 * together). null when nobody churned.
 */
export function prAuc(p: Numbers, y: Numbers): number | null {
	check(p, y);
	const groups = scoreGroups(p, y);
	const positives = groups.reduce((s, g) => s + g.positives, 0);
	if (positives === 0) return null;
	let tp = 0;
	let flagged = 0;
	let ap = 0;
	for (const g of groups) {
		tp += g.positives;
		flagged += g.positives + g.negatives;
		ap += (g.positives / positives) * (tp / flagged);
	}
	return ap;
}

/** Brier score: mean squared difference between probability and outcome; null when empty. */
export function brier(p: Numbers, y: Numbers): number | null {
	check(p, y);
	if (p.length === 0) return null;
	let s = 0;
	for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
	return s / p.length;
}

export interface CalibrationBin {
	/** The bin [lower, upper); the last bin includes 1. */
	readonly lower: number;
	readonly upper: number;
	readonly count: number;
	/** Mean predicted probability and observed churn rate in the bin; null when empty. */
	readonly meanPredicted: number | null;
	readonly observedRate: number | null;
}

/** Reliability curve over `bins` equal-width probability bins (all bins, empty ones included). */
export function calibrationCurve(p: Numbers, y: Numbers, bins = 10): CalibrationBin[] {
	check(p, y);
	const count = new Float64Array(bins);
	const sumP = new Float64Array(bins);
	const sumY = new Float64Array(bins);
	for (let i = 0; i < p.length; i++) {
		const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
		count[b]!++;
		sumP[b]! += p[i]!;
		sumY[b]! += y[i]!;
	}
	return Array.from({ length: bins }, (_, b) => ({
		lower: b / bins,
		upper: (b + 1) / bins,
		count: count[b]!,
		meanPredicted: count[b] ? sumP[b]! / count[b]! : null,
		observedRate: count[b] ? sumY[b]! / count[b]! : null
	}));
}

/**
 * Expected calibration error: Σ (count/n) · |meanPredicted − observedRate| over the bins of
 * calibrationCurve; null when empty.
 */
export function expectedCalibrationError(curve: readonly CalibrationBin[]): number | null {
	const n = curve.reduce((s, b) => s + b.count, 0);
	if (n === 0) return null;
	return curve.reduce(
		(s, b) => (b.count ? s + (b.count / n) * Math.abs(b.meanPredicted! - b.observedRate!) : s),
		0
	);
}

/**
 * Churn rate among the top ⌈share · n⌉ accounts by p (ties broken by input order, so the cut is
 * deterministic); null when there are no accounts.
 */
export function precisionAt(p: Numbers, y: Numbers, share: number): number | null {
	check(p, y);
	if (!(share > 0 && share <= 1)) throw new Error(`share must be in (0, 1], got ${share}.`);
	const k = Math.ceil(share * p.length);
	if (k === 0) return null;
	const order = byDescendingScore(p);
	let churned = 0;
	for (let j = 0; j < k; j++) churned += y[order[j]!]!;
	return churned / k;
}

/** precisionAt ÷ the overall churn rate; null when nobody churned. */
export function liftAt(p: Numbers, y: Numbers, share: number): number | null {
	const precision = precisionAt(p, y, share);
	let churned = 0;
	for (let i = 0; i < y.length; i++) churned += y[i]!;
	return precision === null || churned === 0 ? null : precision / (churned / y.length);
}

export interface Evaluation {
	readonly n: number;
	readonly positives: number;
	readonly rocAuc: number | null;
	readonly prAuc: number | null;
	readonly brier: number | null;
	readonly calibration: CalibrationBin[];
	readonly expectedCalibrationError: number | null;
	readonly top10: { readonly precision: number | null; readonly lift: number | null };
	readonly top20: { readonly precision: number | null; readonly lift: number | null };
}

/** Every test-set metric the issue asks for, in one JSON-able record. */
export function evaluate(p: Numbers, y: Numbers, bins = 10): Evaluation {
	check(p, y);
	let positives = 0;
	for (let i = 0; i < y.length; i++) positives += y[i]!;
	const calibration = calibrationCurve(p, y, bins);
	return {
		n: p.length,
		positives,
		rocAuc: rocAuc(p, y),
		prAuc: prAuc(p, y),
		brier: brier(p, y),
		calibration,
		expectedCalibrationError: expectedCalibrationError(calibration),
		top10: { precision: precisionAt(p, y, 0.1), lift: liftAt(p, y, 0.1) },
		top20: { precision: precisionAt(p, y, 0.2), lift: liftAt(p, y, 0.2) }
	};
}
