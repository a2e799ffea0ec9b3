/**
 * The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
 * Way", Marketing Science 24(2)): while alive a customer buys as a Poisson process with rate
 * λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
 *
 * Time is in whatever unit the data uses (Tenure uses weeks, METRICS.md); α is in that unit.
 * Equation numbers refer to the paper.
 */
import { minimizeNelderMead } from './optimize.ts';
import { hyp2f1, logBeta, logGamma } from './special.ts';

export interface BgnbdParams {
	readonly r: number;
	readonly alpha: number;
	readonly a: number;
	readonly b: number;
}

/**
 * One row per customer, or per group of identical customers when `weight` is given: a million
 * customers shrink to the distinct (x, tx, T) triples, which is what makes fitting cheap.
 */
export interface BgnbdData {
	/** Repeat transactions in the calibration period (transactions − 1). */
	readonly x: ArrayLike<number>;
	/** Recency: time from the first to the last calibration transaction (0 when x = 0). */
	readonly tx: ArrayLike<number>;
	/** Age: time from the first transaction to the end of the calibration period. */
	readonly T: ArrayLike<number>;
	/** Customers sharing this row's (x, tx, T); 1 each when absent. */
	readonly weight?: ArrayLike<number>;
}

export interface BgnbdLogLikelihood {
	/** Σ weight · log-likelihood. */
	readonly total: number;
	/** The log-likelihood of one customer of each row (unweighted). */
	readonly perCustomer: Float64Array;
}

export interface BgnbdFitOptions {
	/** Starting point; default r = a = b = 1 and α matching the mean purchase rate. */
	readonly start?: BgnbdParams;
	readonly maxEvaluations?: number;
	/** Convergence tolerance on the mean log-likelihood per customer. Default 1e-12. */
	readonly tolerance?: number;
	readonly maxRestarts?: number;
}

export interface BgnbdFit {
	readonly params: BgnbdParams;
	readonly logLikelihood: number;
	readonly iterations: number;
	readonly converged: boolean;
	/** Customers fitted (Σ weight). */
	readonly n: number;
}

function assertParams(params: BgnbdParams): void {
	for (const key of ['r', 'alpha', 'a', 'b'] as const) {
		const value = params[key];
		if (!(value > 0 && Number.isFinite(value))) {
			throw new RangeError(`BG/NBD parameter ${key} = ${value}; all four must be positive.`);
		}
	}
}

function assertCustomer(x: number, tx: number, T: number, where: string): void {
	if (!(Number.isInteger(x) && x >= 0)) {
		throw new RangeError(`${where}: x = ${x}; repeat transactions must be a whole number ≥ 0.`);
	}
	if (!(tx >= 0 && T >= tx && Number.isFinite(T))) {
		throw new RangeError(`${where}: t_x = ${tx}, T = ${T}; need 0 ≤ t_x ≤ T (recency ≤ age).`);
	}
	if (x === 0 && tx !== 0) {
		throw new RangeError(`${where}: x = 0 but t_x = ${tx}; with no repeat purchase t_x is 0.`);
	}
}

function assertData(data: BgnbdData): number {
	const rows = data.x.length;
	if (data.tx.length !== rows || data.T.length !== rows || (data.weight?.length ?? rows) !== rows) {
		throw new RangeError('BG/NBD data: x, tx, T (and weight) must have the same length.');
	}
	let customers = 0;
	for (let i = 0; i < rows; i++) {
		assertCustomer(data.x[i]!, data.tx[i]!, data.T[i]!, `BG/NBD data row ${i}`);
		const w = data.weight?.[i] ?? 1;
		if (!(w >= 0 && Number.isFinite(w))) {
			throw new RangeError(`BG/NBD data row ${i}: weight = ${w}; weights count customers (≥ 0).`);
		}
		customers += w;
	}
	return customers;
}

/** log(eˣ + eʸ) without overflow or underflow. */
function logSumExp(x: number, y: number): number {
	const m = Math.max(x, y);
	return m === -Infinity ? -Infinity : m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

/**
 * Eq. 6 in logs: L = A₁·A₂·(A₃ + δ₍ₓ>₀₎A₄), with A₁ = Γ(r+x)αʳ/Γ(r), A₂ = B(a, b+x)/B(a, b),
 * A₃ = (α+T)^−(r+x) and A₄ = a/(b+x−1)·(α+t_x)^−(r+x). The sum is taken with log-sum-exp, since for
 * heavy buyers both terms underflow in linear space (Fader & Hardie's "#NUM!" note).
 */
function sumLogLikelihood(
	params: BgnbdParams,
	data: BgnbdData,
	perCustomer?: Float64Array
): number {
	const { r, alpha, a, b } = params;
	const constant = r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b);
	const logA = Math.log(a);
	let total = 0;
	for (let i = 0; i < data.x.length; i++) {
		const x = data.x[i]!;
		const logA1A2 = constant + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
		const logA3 = -(r + x) * Math.log(alpha + data.T[i]!);
		const logA4 =
			x > 0 ? logA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + data.tx[i]!) : -Infinity;
		const ll = logA1A2 + logSumExp(logA3, logA4);
		if (perCustomer) perCustomer[i] = ll;
		total += (data.weight?.[i] ?? 1) * ll;
	}
	return total;
}

/** The BG/NBD log-likelihood (eq. 6) of every customer and in total. */
export function bgnbdLogLikelihood(params: BgnbdParams, data: BgnbdData): BgnbdLogLikelihood {
	assertParams(params);
	assertData(data);
	const perCustomer = new Float64Array(data.x.length);
	const total = sumLogLikelihood(params, data, perCustomer);
	return { total, perCustomer };
}

// Log-parameters stay within e^±18 (about 1.5e−8 … 6.6e7): wide enough for any time unit, narrow
// enough that a flat likelihood (e.g. no dropout evidence, b → ∞) cannot run off to overflow.
const LOG_BOUND = 18;

/** Maximum-likelihood fit of the BG/NBD model, by Nelder–Mead over log-parameters. */
export function fitBgnbd(data: BgnbdData, options: BgnbdFitOptions = {}): BgnbdFit {
	const n = assertData(data);
	if (!(n > 0)) throw new RangeError('BG/NBD fit: no customers (the weights sum to 0).');
	let start = options.start;
	if (start) {
		assertParams(start);
	} else {
		// With r = 1 the expected repeat count by age T is T/α, so α = mean T / mean x starts the
		// simplex at the right time scale whether the data is in days or weeks.
		let sumX = 0;
		let sumT = 0;
		for (let i = 0; i < data.x.length; i++) {
			const w = data.weight?.[i] ?? 1;
			sumX += w * data.x[i]!;
			sumT += w * data.T[i]!;
		}
		const alpha = sumT > 0 && sumX > 0 ? sumT / sumX : 1;
		start = { r: 1, alpha, a: 1, b: 1 };
	}
	const toParams = (theta: readonly number[]): BgnbdParams => ({
		r: Math.exp(theta[0]!),
		alpha: Math.exp(theta[1]!),
		a: Math.exp(theta[2]!),
		b: Math.exp(theta[3]!)
	});
	// The mean per customer keeps the tolerance meaningful whatever the number of customers.
	const result = minimizeNelderMead(
		(theta) => -sumLogLikelihood(toParams(theta), data) / n,
		[start.r, start.alpha, start.a, start.b].map(Math.log),
		{
			maxEvaluations: options.maxEvaluations,
			fTolerance: options.tolerance,
			maxRestarts: options.maxRestarts,
			lower: Array(4).fill(-LOG_BOUND),
			upper: Array(4).fill(LOG_BOUND)
		}
	);
	const params = toParams(result.x);
	return {
		params,
		logLikelihood: sumLogLikelihood(params, data),
		iterations: result.iterations,
		converged: result.converged,
		n
	};
}

/** log of the odds of "dropped out" vs "alive": a/(b+x−1)·((α+T)/(α+t_x))^(r+x). */
function logDropoutOdds(params: BgnbdParams, x: number, tx: number, T: number): number {
	const { r, alpha, a, b } = params;
	if (x === 0) return -Infinity;
	return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/**
 * P(alive | x, t_x, T): the probability the customer has not yet dropped out (Fader, Hardie & Lee,
 * "Computing P(alive) Using the BG/NBD Model", 2008 note). 1 when x = 0: this model only lets a
 * customer drop out right after a purchase.
 */
export function probabilityAlive(params: BgnbdParams, x: number, tx: number, T: number): number {
	assertParams(params);
	assertCustomer(x, tx, T, 'P(alive)');
	return 1 / (1 + Math.exp(logDropoutOdds(params, x, tx, T)));
}

/**
 * Eq. 10 with a away from its removable singularities. The numerator's
 * ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; z) is rewritten by Euler's transformation as
 * (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z): the original ₂F₁ grows like (1−z)^−(r+x+1−a) and
 * overflows for heavy buyers over long horizons while being multiplied by a vanishing power; in
 * the rewritten form x only enlarges c, which makes the series converge faster.
 */
function conditionalExpectation(
	params: BgnbdParams,
	t: number,
	x: number,
	tx: number,
	T: number
): number {
	const { r, alpha, a, b } = params;
	if (t === 0) return 0;
	const z = t / (alpha + T + t);
	const oneMinusZ = (alpha + T) / (alpha + T + t);
	const scale = (a + b + x - 1) / (a - 1);
	const hyp = hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
	let numerator = scale * (1 - Math.pow(oneMinusZ, a - 1) * hyp);
	if (!Number.isFinite(numerator)) {
		// Large a (fits where dropout barely varies between customers run a, b → ∞ with a/(a+b)
		// fixed): (1−z)^(a−1) underflows while its ₂F₁ overflows. Eq. 10 as printed is well
		// conditioned there: its ₂F₁ behaves like (1 − z·b/(a+b))^−(r+x).
		const printed = hyp2f1(r + x, b + x, a + b + x - 1, z);
		numerator = scale * (1 - Math.pow(oneMinusZ, r + x) * printed);
	}
	return numerator / (1 + Math.exp(logDropoutOdds(params, x, tx, T)));
}

// Eq. 10 is 0/0 at a = 1 (and at a + b + x = 1); it is smooth in a, so there the mean of the values
// at a ± h is used: the O(h²) bias and the O(ε/h) rounding are then both about 1e−10.
const SINGULARITY_HALF_WIDTH = 1e-5;

function smoothConditionalExpectation(
	params: BgnbdParams,
	t: number,
	x: number,
	tx: number,
	T: number
): number {
	const { a, b } = params;
	const nearSingular =
		Math.abs(a - 1) < SINGULARITY_HALF_WIDTH || Math.abs(a + b + x - 1) < SINGULARITY_HALF_WIDTH;
	if (!nearSingular) return conditionalExpectation(params, t, x, tx, T);
	const h = 2 * SINGULARITY_HALF_WIDTH;
	return (
		(conditionalExpectation({ ...params, a: a - h }, t, x, tx, T) +
			conditionalExpectation({ ...params, a: a + h }, t, x, tx, T)) /
		2
	);
}

function assertDuration(t: number, name: string): void {
	if (!(t >= 0 && Number.isFinite(t))) {
		throw new RangeError(`${name} = ${t}; a forecast horizon must be finite and ≥ 0.`);
	}
}

/**
 * E[Y(t) | x, t_x, T] (eq. 10): expected transactions in the next t time units of a customer with
 * calibration history (x, t_x, T).
 */
export function expectedTransactions(
	params: BgnbdParams,
	t: number,
	x: number,
	tx: number,
	T: number
): number {
	assertParams(params);
	assertDuration(t, 'E[Y(t)]: t');
	assertCustomer(x, tx, T, 'E[Y(t)]');
	return smoothConditionalExpectation(params, t, x, tx, T);
}

/**
 * E[X(t)] (eq. 9): expected repeat transactions in the first t time units of a new customer.
 * Eq. 9 is eq. 10 for a customer just acquired (x = t_x = T = 0).
 */
export function expectedTransactionsNew(params: BgnbdParams, t: number): number {
	assertParams(params);
	assertDuration(t, 'E[X(t)]: t');
	return smoothConditionalExpectation(params, t, 0, 0, 0);
}

/**
 * P(X(t) = n) (eq. 8): the probability that a new customer makes exactly n repeat transactions in
 * their first t time units.
 */
export function probabilityOfNTransactions(params: BgnbdParams, t: number, n: number): number {
	assertParams(params);
	assertDuration(t, 'P(X(t) = n): t');
	if (!(Number.isInteger(n) && n >= 0)) {
		throw new RangeError(`P(X(t) = n): n = ${n}; n must be a whole number ≥ 0.`);
	}
	if (t === 0) return n === 0 ? 1 : 0;
	const { r, alpha, a, b } = params;
	const logQ = Math.log(alpha / (alpha + t)); // NBD "failure" probability, in logs
	const p = t / (alpha + t);
	const logP = Math.log(p);
	// log of the NBD probability of j purchases while alive: Γ(r+j)/(Γ(r) j!) qʳ pʲ.
	const logNbd = (j: number) =>
		logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * logQ + j * logP;

	const stillAlive = Math.exp(logBeta(a, b + n) - logBeta(a, b) + logNbd(n));
	if (n === 0) return stillAlive;

	// The dropped-out-after-the-n-th-purchase term needs P(NBD ≥ n). Take 1 − P(NBD < n) while that
	// is not a difference of near-equal numbers; otherwise sum the tail directly.
	let below = 0;
	let logTerm = logNbd(0);
	for (let j = 0; j < n; j++) {
		below += Math.exp(logTerm);
		logTerm += Math.log((p * (r + j)) / (j + 1));
	}
	let atLeastN: number;
	if (below <= 0.5) {
		atLeastN = 1 - below;
	} else {
		atLeastN = 0;
		let term = Math.exp(logNbd(n));
		for (let j = n; term > Number.EPSILON * atLeastN || j === n; j++) {
			atLeastN += term;
			term *= (p * (r + j)) / (j + 1);
		}
	}
	const droppedOut = Math.exp(logBeta(a + 1, b + n - 1) - logBeta(a, b)) * atLeastN;
	return stillAlive + droppedOut;
}
