/**
 * Special functions the BG/NBD and Gamma-Gamma models need: log-gamma, log-beta and the Gaussian
 * hypergeometric function 2F1. JavaScript has none of them, and a dependency for three functions
 * is not worth its weight.
 */

// Lanczos approximation with g = 7, n = 9 (the coefficient set published by Godfrey and used by
// many numerical libraries). Relative error of Γ is about 1e-15 for x ≥ 0.5, so log Γ is accurate
// to about 1e-15 absolute there.
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
	0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
	-176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
	1.5056327351493116e-7
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** sin(πx) with the argument reduced first, so integers give exactly 0 and large x stay exact. */
function sinPi(x: number): number {
	const k = Math.round(x);
	const s = Math.sin(Math.PI * (x - k));
	return k % 2 === 0 ? s : -s;
}

/** True at the poles of Γ: 0, −1, −2, … */
function isGammaPole(x: number): boolean {
	return x <= 0 && Number.isInteger(x);
}

/**
 * log |Γ(x)|, like C's `lgamma`. +Infinity at the poles (0, −1, −2, …). Below 0.5 the reflection
 * formula Γ(x)Γ(1−x) = π / sin(πx) keeps the Lanczos sum in the range where it is accurate.
 */
export function logGamma(x: number): number {
	if (Number.isNaN(x)) return NaN;
	if (x === Infinity) return Infinity;
	if (isGammaPole(x)) return Infinity;
	if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - logGamma(1 - x);
	const y = x - 1;
	let sum = LANCZOS_COEFFICIENTS[0]!;
	for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += LANCZOS_COEFFICIENTS[i]! / (y + i);
	const t = y + LANCZOS_G + 0.5;
	return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The sign of Γ(x): +1 for x > 0, alternating between the poles below 0 (NaN at a pole). */
export function gammaSign(x: number): number {
	if (isGammaPole(x) || Number.isNaN(x)) return NaN;
	if (x > 0) return 1;
	return sinPi(x) > 0 ? 1 : -1;
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
	return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Signed Γ(n1)Γ(n2) / (Γ(d1)Γ(d2)), in logs so that large arguments do not overflow. */
function gammaRatio(n1: number, n2: number, d1: number, d2: number): number {
	// A pole in the denominator makes the coefficient exactly zero (1/Γ is entire).
	if (isGammaPole(d1) || isGammaPole(d2)) return 0;
	const sign = gammaSign(n1) * gammaSign(n2) * gammaSign(d1) * gammaSign(d2);
	return sign * Math.exp(logGamma(n1) + logGamma(n2) - logGamma(d1) - logGamma(d2));
}

export interface Hyp2f1Options {
	/** Give up (RangeError) after this many series terms. */
	readonly maxTerms?: number;
}

const SERIES_EPSILON = Number.EPSILON / 2;
// Up to this many terms the plain series is both cheap (microseconds) and the most accurate
// method; beyond it, near z = 1, the 1 − z transformation converges much faster.
const FAST_SERIES_TERMS = 20_000;
// Within this distance of an integer, c − a − b makes the two terms of the 1 − z transformation
// nearly cancel (each grows like 1/distance), so the plain series is used instead.
const NEAR_INTEGER = 1e-3;
const DEFAULT_MAX_TERMS = 2_000_000;

/**
 * The Gauss series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ for 0 ≤ z < 1, or NaN if it has not converged within
 * `maxTerms`. Stops when the remaining tail, bounded by a geometric series with the current term
 * ratio, is below half an ulp of the sum — so a slowly converging series is never cut short.
 */
function gaussSeries(a: number, b: number, c: number, z: number, maxTerms: number): number {
	let term = 1;
	let sum = 1;
	for (let n = 0; n < maxTerms; n++) {
		const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
		term *= ratio;
		sum += term;
		if (term === 0) return sum; // a or b is a non-positive integer: a polynomial.
		const rho = Math.max(Math.abs(ratio), z);
		// Only once the terms shrink does |term|·ρ/(1−ρ) bound the tail (later ratios → z).
		const tailBound = (Math.abs(term) * rho) / (1 - rho);
		if (Math.abs(ratio) < 1 && tailBound <= SERIES_EPSILON * Math.abs(sum)) return sum;
		if (!Number.isFinite(sum)) return sum;
	}
	return NaN;
}

/**
 * The Gaussian hypergeometric function ₂F₁(a, b; c; z) for real arguments and z ≤ 1.
 *
 * - z < 0: Pfaff's transformation ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)) maps it into
 *   [0, 1), where the series converges (Abramowitz & Stegun 15.3.4).
 * - 0 ≤ z < 1: the Gauss series, all of whose terms eventually share one sign, so summing does not
 *   cancel. Near z = 1 it converges slowly; when it would need more than 20,000 terms, the 1 − z
 *   transformation (A&S 15.3.6) is used instead, unless c − a − b is within 1e−3 of an integer,
 *   where that transformation cancels and the series is simply run longer.
 * - z = 1: Gauss's theorem, finite only when c − a − b > 0.
 *
 * Throws a RangeError for z > 1, for c a non-positive integer (the function is undefined), and
 * when the series does not converge within `maxTerms` (only for z within ~1e−5 of 1 with
 * c − a − b near an integer).
 */
export function hyp2f1(
	a: number,
	b: number,
	c: number,
	z: number,
	options: Hyp2f1Options = {}
): number {
	const maxTerms = options.maxTerms ?? DEFAULT_MAX_TERMS;
	if ([a, b, c, z].some(Number.isNaN)) return NaN;
	if (z > 1) throw new RangeError(`hyp2f1: z = ${z} is outside the supported range z ≤ 1.`);
	if (isGammaPole(c)) {
		throw new RangeError(`hyp2f1: c = ${c} is a non-positive integer, where ₂F₁ is undefined.`);
	}
	if (z === 0 || a === 0 || b === 0) return 1;
	if (z < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1), options);
	const s = c - a - b;
	if (z === 1) return s > 0 ? gammaRatio(c, s, c - a, c - b) : Infinity;

	const fast = gaussSeries(a, b, c, z, Math.min(FAST_SERIES_TERMS, maxTerms));
	if (!Number.isNaN(fast)) return fast;

	if (Math.abs(s - Math.round(s)) > NEAR_INTEGER) {
		const w = 1 - z;
		const first = gammaRatio(c, s, c - a, c - b);
		const second = gammaRatio(c, -s, a, b);
		const firstSeries = first === 0 ? 0 : gaussSeries(a, b, 1 - s, w, maxTerms);
		const secondSeries = second === 0 ? 0 : gaussSeries(c - a, c - b, 1 + s, w, maxTerms);
		const value = first * firstSeries + Math.pow(w, s) * second * secondSeries;
		if (!Number.isNaN(value)) return value;
	}
	const slow = gaussSeries(a, b, c, z, maxTerms);
	if (Number.isNaN(slow)) {
		throw new RangeError(
			`hyp2f1(${a}, ${b}; ${c}; ${z}): the series did not converge in ${maxTerms} terms.`
		);
	}
	return slow;
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x), for x > 0 (NaN otherwise): the gradients of the
 * likelihoods need it. The recurrence ψ(x) = ψ(x + 1) − 1/x moves x to ≥ 10, where the asymptotic
 * series ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ), cut after x⁻¹⁴, is accurate to about 1e−16.
 */
export function digamma(x: number): number {
	if (!(x > 0) || x === Infinity) return x === Infinity ? Infinity : NaN;
	let shift = 0;
	while (x < 10) {
		shift -= 1 / x;
		x += 1;
	}
	const f = 1 / (x * x);
	const series =
		f *
		(1 / 12 -
			f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f / 12))))));
	return shift + Math.log(x) - 0.5 / x - series;
}
