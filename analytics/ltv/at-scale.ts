/**
 * The BG/NBD and Gamma-Gamma fits for a tenant's whole customer base (a million accounts in a few
 * seconds), returning the same maximum as `fitBgnbd` / `fitGammaGamma`.
 *
 * Why not just those: Nelder–Mead needs 600–700 likelihood evaluations, and with 10⁶ customers
 * (half a million distinct (x, t_x, T)) each evaluation is a pass over all of them — over a
 * minute. Here:
 * 1. the simplex runs on a random sample of customers (default 20,000), which lands close to the
 *    maximum of the full data;
 * 2. BFGS with the analytic gradient finishes on all customers in a few dozen evaluations — from
 *    there and also from the simplex's own start, keeping the better maximum. A sample can put the
 *    simplex on the ridge where a, b → ∞ (dropout the same for everyone), along which the gradient
 *    fades without a maximum; on the demo data one 2,000-customer sample in three did, and the
 *    second start found the real maximum (log-likelihood 13 higher).
 * Each evaluation is also cheaper than the general likelihood's: the SQL summary gives whole days,
 * so log(α + t) is looked up per day, and everything that depends only on x (log Γ, ψ) per x.
 * `converged` is BFGS's gradient test on the full data.
 */
import type { BgnbdFit, BgnbdParams } from './bgnbd.ts';
import type { GammaGammaFit, GammaGammaParams } from './gamma-gamma.ts';
import { minimizeBfgs, minimizeNelderMead, type BfgsResult } from './optimize.ts';
import { digamma, logGamma } from './special.ts';

/** Per-customer data on whole days, as the SQL summary returns it. */
export interface BgnbdDayData {
	/** Repeat transactions (purchase days − 1). */
	readonly x: ArrayLike<number>;
	/** Days from the first to the last purchase day. */
	readonly txDays: ArrayLike<number>;
	/** Days from the first purchase day to the end of calibration. */
	readonly TDays: ArrayLike<number>;
	/** Customers sharing this row; 1 each when absent. */
	readonly weight?: ArrayLike<number>;
}

export interface AtScaleFitOptions {
	/** Days per model time unit. Default 7 (weeks, METRICS.md). */
	readonly daysPerUnit?: number;
	/** Customers in the Nelder–Mead sample. Default 20,000. */
	readonly sampleSize?: number;
	/** Seed of the sample, so a refresh is reproducible. Default 1. */
	readonly seed?: number;
	/**
	 * Gradient tolerance on the mean log-likelihood per customer, in log-parameters. Default 1e-7,
	 * which leaves a relative error of about that size in the parameters (CDNOW: 2e−8 at 2e−8).
	 */
	readonly gTolerance?: number;
}

// As in bgnbd.ts: log-parameters stay within e^±18.
const LOG_BOUND = 18;
const DEFAULT_G_TOLERANCE = 1e-7;
// With a million customers the rounding of the mean log-likelihood (about 1e−14) hides the last
// digits: BFGS then stalls with a gradient near 1e−7. A stall counts as converged when the gradient
// is within this (parameters within about 1e−5, relative, of the maximum).
const STALL_G_TOLERANCE = 1e-5;

function bfgsConverged(result: BfgsResult): boolean {
	return result.converged || (result.stalled && result.gradientNorm <= STALL_G_TOLERANCE);
}

/** mulberry32: a small seeded generator; the sample must not depend on Math.random. */
function random(seed: number): () => number {
	let state = seed | 0;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `size` indices drawn with probability proportional to weight (uniformly without weights). */
function sampleIndices(
	rows: number,
	weight: ArrayLike<number> | undefined,
	size: number,
	seed: number
): number[] {
	const next = random(seed);
	if (!weight) {
		// Partial Fisher–Yates: distinct customers.
		const pool = Int32Array.from({ length: rows }, (_, i) => i);
		for (let i = 0; i < size; i++) {
			const j = i + Math.floor(next() * (rows - i));
			[pool[i], pool[j]] = [pool[j]!, pool[i]!];
		}
		return Array.from(pool.subarray(0, size));
	}
	const cumulative = new Float64Array(rows);
	let total = 0;
	for (let i = 0; i < rows; i++) cumulative[i] = total += weight[i]!;
	const picks: number[] = [];
	for (let k = 0; k < size; k++) {
		const u = next() * total;
		let lo = 0;
		let hi = rows - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cumulative[mid]! > u) hi = mid;
			else lo = mid + 1;
		}
		picks.push(lo);
	}
	return picks;
}

/** Distinct (x, t_x, T) rows with their weights: half the rows at a million customers. */
interface DayRows {
	readonly x: Int32Array;
	readonly tx: Int32Array;
	readonly T: Int32Array;
	readonly w: Float64Array;
	readonly n: number;
	readonly maxX: number;
	readonly maxDay: number;
}

function compress(data: BgnbdDayData): DayRows {
	const rows = data.x.length;
	if (data.txDays.length !== rows || data.TDays.length !== rows) {
		throw new RangeError('BG/NBD data: x, txDays and TDays must have the same length.');
	}
	if (data.weight && data.weight.length !== rows) {
		throw new RangeError('BG/NBD data: weight must have one entry per row.');
	}
	let maxX = 0;
	let maxDay = 0;
	for (let i = 0; i < rows; i++) {
		const [x, tx, T] = [data.x[i]!, data.txDays[i]!, data.TDays[i]!];
		if (!(Number.isInteger(x) && x >= 0)) {
			throw new RangeError(`BG/NBD data row ${i}: x = ${x}; repeat transactions must be ≥ 0.`);
		}
		if (!(Number.isInteger(tx) && Number.isInteger(T) && tx >= 0 && T >= tx)) {
			throw new RangeError(
				`BG/NBD data row ${i}: t_x = ${tx}, T = ${T} days; need whole days with 0 ≤ t_x ≤ T.`
			);
		}
		if (x === 0 && tx !== 0) {
			throw new RangeError(`BG/NBD data row ${i}: x = 0 but t_x = ${tx}; it must be 0.`);
		}
		const w = data.weight?.[i] ?? 1;
		if (!(w >= 0 && Number.isFinite(w))) {
			throw new RangeError(`BG/NBD data row ${i}: weight = ${w}; weights count customers (≥ 0).`);
		}
		if (x > maxX) maxX = x;
		if (T > maxDay) maxDay = T;
	}
	const days = maxDay + 1;
	const index = new Map<number, number>();
	const x = new Int32Array(rows);
	const tx = new Int32Array(rows);
	const T = new Int32Array(rows);
	const w = new Float64Array(rows);
	let distinct = 0;
	let n = 0;
	for (let i = 0; i < rows; i++) {
		const weight = data.weight?.[i] ?? 1;
		n += weight;
		const key = (data.x[i]! * days + data.txDays[i]!) * days + data.TDays[i]!;
		let j = index.get(key);
		if (j === undefined) {
			index.set(key, (j = distinct++));
			x[j] = data.x[i]!;
			tx[j] = data.txDays[i]!;
			T[j] = data.TDays[i]!;
		}
		w[j]! += weight;
	}
	return {
		x: x.slice(0, distinct),
		tx: tx.slice(0, distinct),
		T: T.slice(0, distinct),
		w: w.slice(0, distinct),
		n,
		maxX,
		maxDay
	};
}

/**
 * The BG/NBD log-likelihood (eq. 6) of day data and its gradient with respect to
 * (log r, log α, log a, log b). With l₃ = −(r+x)·log(α+T), l₄ = log a − log(b+x−1) − (r+x)·log(α+t_x)
 * and π = e^l₄ / (e^l₃ + e^l₄) (0 when x = 0), the per-customer derivatives are
 *   ∂/∂r = log α − ψ(r) + ψ(r+x) − (1−π)·log(α+T) − π·log(α+t_x)
 *   ∂/∂α = r/α − (r+x)·((1−π)/(α+T) + π/(α+t_x))
 *   ∂/∂a = ψ(a+b) − ψ(a+b+x) + π/a
 *   ∂/∂b = ψ(a+b) − ψ(b) + ψ(b+x) − ψ(a+b+x) − π/(b+x−1).
 */
function bgnbdDayObjective(rows: DayRows, daysPerUnit: number) {
	const { maxX, maxDay } = rows;
	const c1 = new Float64Array(maxX + 1);
	const c2 = new Float64Array(maxX + 1);
	const logT = new Float64Array(maxDay + 1);
	const invT = new Float64Array(maxDay + 1);
	// Customers and π-weighted customers per x, for the terms that depend on x only.
	const perX = new Float64Array(maxX + 1);
	for (let i = 0; i < rows.x.length; i++) perX[rows.x[i]!]! += rows.w[i]!;
	const piPerX = new Float64Array(maxX + 1);

	return (params: BgnbdParams): { value: number; gradient: [number, number, number, number] } => {
		const { r, alpha, a, b } = params;
		const constant = r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b);
		const logA = Math.log(a);
		for (let x = 0; x <= maxX; x++) {
			c1[x] = constant + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
			c2[x] = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
		}
		for (let d = 0; d <= maxDay; d++) {
			const at = alpha + d / daysPerUnit;
			logT[d] = Math.log(at);
			invT[d] = 1 / at;
		}
		piPerX.fill(0);
		let value = 0;
		let gradR = 0;
		let gradAlpha = 0;
		const { x: xs, tx: txs, T: Ts, w: ws } = rows;
		for (let i = 0; i < xs.length; i++) {
			const x = xs[i]!;
			const w = ws[i]!;
			const e = r + x;
			const T = Ts[i]!;
			const l3 = -e * logT[T]!;
			if (x === 0) {
				value += w * (c1[0]! + l3);
				gradR -= w * logT[T]!;
				gradAlpha -= w * e * invT[T]!;
				continue;
			}
			const tx = txs[i]!;
			const l4 = c2[x]! - e * logT[tx]!;
			let s: number;
			let pi: number;
			if (l3 >= l4) {
				const z = Math.exp(l4 - l3);
				s = l3 + Math.log1p(z);
				pi = z / (1 + z);
			} else {
				const z = Math.exp(l3 - l4);
				s = l4 + Math.log1p(z);
				pi = 1 / (1 + z);
			}
			value += w * (c1[x]! + s);
			piPerX[x]! += w * pi;
			gradR -= w * ((1 - pi) * logT[T]! + pi * logT[tx]!);
			gradAlpha -= w * e * ((1 - pi) * invT[T]! + pi * invT[tx]!);
		}
		const psiR = digamma(r);
		const psiAB = digamma(a + b);
		const psiB = digamma(b);
		let n = 0;
		let gradA = 0;
		let gradB = 0;
		for (let x = 0; x <= maxX; x++) {
			const w = perX[x]!;
			if (w === 0) continue;
			n += w;
			const psiABX = digamma(a + b + x);
			gradR += w * (digamma(r + x) - psiR);
			gradA += w * (psiAB - psiABX);
			gradB += w * (psiAB - psiB + digamma(b + x) - psiABX);
			if (x > 0) {
				gradA += piPerX[x]! / a;
				gradB -= piPerX[x]! / (b + x - 1);
			}
		}
		gradR += n * Math.log(alpha);
		gradAlpha += (n * r) / alpha;
		return { value, gradient: [r * gradR, alpha * gradAlpha, a * gradA, b * gradB] };
	};
}

/**
 * The BG/NBD log-likelihood of day data (eq. 6, time in units of `daysPerUnit` days) and its
 * gradient with respect to the log-parameters. Exported for tests.
 */
export function bgnbdDayLogLikelihood(
	params: BgnbdParams,
	data: BgnbdDayData,
	daysPerUnit = 7
): { value: number; gradient: number[] } {
	return bgnbdDayObjective(compress(data), daysPerUnit)(params);
}

const paramsOf = (theta: readonly number[]): BgnbdParams => ({
	r: Math.exp(theta[0]!),
	alpha: Math.exp(theta[1]!),
	a: Math.exp(theta[2]!),
	b: Math.exp(theta[3]!)
});

const DEFAULT_SAMPLE = 20_000;

/**
 * The two-stage search shared by both models: Nelder–Mead on the sample's objective from `start`,
 * then BFGS on the full objective from there and from `start`; the best converged result wins.
 */
function twoStage(
	sample: (theta: readonly number[]) => number,
	full: (theta: readonly number[]) => { f: number; g: number[] },
	start: number[],
	gTolerance: number
): { theta: number[]; iterations: number; converged: boolean } {
	const bounds = { lower: start.map(() => -LOG_BOUND), upper: start.map(() => LOG_BOUND) };
	const simplex = minimizeNelderMead(sample, start, bounds);
	let iterations = simplex.iterations;
	let best: BfgsResult | null = null;
	for (const from of [simplex.x, start]) {
		const result = minimizeBfgs(full, from, { gTolerance, ...bounds });
		iterations += result.iterations;
		const better =
			!best ||
			(bfgsConverged(result) && !bfgsConverged(best)) ||
			(bfgsConverged(result) === bfgsConverged(best) && result.fx < best.fx);
		if (better) best = result;
	}
	return { theta: best!.x, iterations, converged: bfgsConverged(best!) };
}

/** Maximum-likelihood BG/NBD for many customers; see the module comment. */
export function fitBgnbdAtScale(data: BgnbdDayData, options: AtScaleFitOptions = {}): BgnbdFit {
	const unit = options.daysPerUnit ?? 7;
	const rows = compress(data);
	if (!(rows.n > 0)) throw new RangeError('BG/NBD fit: no customers (the weights sum to 0).');
	const size = Math.min(options.sampleSize ?? DEFAULT_SAMPLE, data.x.length);
	const picks =
		size === data.x.length && !data.weight
			? null
			: sampleIndices(data.x.length, data.weight, size, options.seed ?? 1);
	const sampleRows = picks
		? compress({
				x: picks.map((i) => data.x[i]!),
				txDays: picks.map((i) => data.txDays[i]!),
				TDays: picks.map((i) => data.TDays[i]!)
			})
		: rows;
	// As fitBgnbd: r = a = b = 1, and α = mean T / mean x (with r = 1, E[x] ≈ T/α).
	let sumX = 0;
	let sumT = 0;
	for (let i = 0; i < rows.x.length; i++) {
		sumX += rows.w[i]! * rows.x[i]!;
		sumT += (rows.w[i]! * rows.T[i]!) / unit;
	}
	const alpha = sumT > 0 && sumX > 0 ? sumT / sumX : 1;
	const sampleObjective = bgnbdDayObjective(sampleRows, unit);
	const objective = bgnbdDayObjective(rows, unit);
	const { theta, iterations, converged } = twoStage(
		(t) => -sampleObjective(paramsOf(t)).value / sampleRows.n,
		(t) => {
			const { value, gradient } = objective(paramsOf(t));
			return { f: -value / rows.n, g: gradient.map((g) => -g / rows.n) };
		},
		[0, Math.log(alpha), 0, 0],
		options.gTolerance ?? DEFAULT_G_TOLERANCE
	);
	const params = paramsOf(theta);
	return {
		params,
		logLikelihood: objective(params).value,
		iterations,
		converged,
		n: rows.n
	};
}

/**
 * Σ log f(m_x | p, q, γ, x) (see gamma-gamma.ts) and its gradient with respect to
 * (log p, log q, log γ), with L = log(γ + m_x·x):
 *   ∂/∂p = x·(ψ(px+q) − ψ(px) + log m_x + log x − L)
 *   ∂/∂q = log γ − ψ(q) + ψ(px+q) − L
 *   ∂/∂γ = q/γ − (px+q)/(γ + m_x·x).
 */
function gammaGammaObjective(x: ArrayLike<number>, mx: ArrayLike<number>) {
	const rows = x.length;
	let maxX = 0;
	for (let i = 0; i < rows; i++) {
		if (!(Number.isInteger(x[i]) && x[i]! > 0)) {
			throw new RangeError(
				`Gamma-Gamma data row ${i}: x = ${x[i]}; fit only customers with a repeat purchase (x ≥ 1).`
			);
		}
		if (!(mx[i]! > 0 && Number.isFinite(mx[i]))) {
			throw new RangeError(`Gamma-Gamma data row ${i}: m_x = ${mx[i]}; mean spend must be > 0.`);
		}
		if (x[i]! > maxX) maxX = x[i]!;
	}
	// Terms that do not depend on the parameters.
	const count = new Float64Array(maxX + 1);
	let sumXLogM = 0;
	let sumLogM = 0;
	let sumXLogX = 0;
	for (let i = 0; i < rows; i++) {
		const [xi, m] = [x[i]!, mx[i]!];
		count[xi]!++;
		sumXLogM += xi * Math.log(m);
		sumLogM += Math.log(m);
		sumXLogX += xi * Math.log(xi);
	}
	const logPerX = new Float64Array(maxX + 1);
	const invPerX = new Float64Array(maxX + 1);

	return (params: GammaGammaParams): { value: number; gradient: [number, number, number] } => {
		const { p, q, gamma } = params;
		logPerX.fill(0);
		invPerX.fill(0);
		for (let i = 0; i < rows; i++) {
			const xi = x[i]!;
			const denominator = gamma + mx[i]! * xi;
			logPerX[xi]! += Math.log(denominator);
			invPerX[xi]! += 1 / denominator;
		}
		let value = rows * (q * Math.log(gamma) - logGamma(q)) + p * (sumXLogM + sumXLogX) - sumLogM;
		let gradP = sumXLogM + sumXLogX;
		let gradQ = rows * (Math.log(gamma) - digamma(q));
		let gradGamma = (rows * q) / gamma;
		for (let xi = 1; xi <= maxX; xi++) {
			const c = count[xi]!;
			if (c === 0) continue;
			const px = p * xi;
			const psiPxQ = digamma(px + q);
			value += c * (logGamma(px + q) - logGamma(px)) - (px + q) * logPerX[xi]!;
			gradP += c * xi * (psiPxQ - digamma(px)) - xi * logPerX[xi]!;
			gradQ += c * psiPxQ - logPerX[xi]!;
			gradGamma -= (px + q) * invPerX[xi]!;
		}
		return { value, gradient: [p * gradP, q * gradQ, gamma * gradGamma] };
	};
}

/** The Gamma-Gamma log-likelihood and its gradient in log-parameters. Exported for tests. */
export function gammaGammaLogLikelihoodWithGradient(
	params: GammaGammaParams,
	x: ArrayLike<number>,
	mx: ArrayLike<number>
): { value: number; gradient: number[] } {
	return gammaGammaObjective(x, mx)(params);
}

/** Maximum-likelihood Gamma-Gamma for many customers; see the module comment. */
export function fitGammaGammaAtScale(
	x: ArrayLike<number>,
	mx: ArrayLike<number>,
	options: Omit<AtScaleFitOptions, 'daysPerUnit'> = {}
): GammaGammaFit {
	const objective = gammaGammaObjective(x, mx);
	const n = x.length;
	if (n === 0) throw new RangeError('Gamma-Gamma fit: no customers with a repeat purchase.');
	const size = Math.min(options.sampleSize ?? DEFAULT_SAMPLE, n);
	const picks = size === n ? null : sampleIndices(n, undefined, size, options.seed ?? 1);
	const sampleObjective = picks
		? gammaGammaObjective(
				picks.map((i) => x[i]!),
				picks.map((i) => mx[i]!)
			)
		: objective;
	const toParams = (theta: readonly number[]): GammaGammaParams => ({
		p: Math.exp(theta[0]!),
		q: Math.exp(theta[1]!),
		gamma: Math.exp(theta[2]!)
	});
	// As fitGammaGamma: p = 1, q = 2 and γ = mean m_x, so the population mean is mean m_x.
	let sum = 0;
	for (let i = 0; i < n; i++) sum += mx[i]!;
	const { theta, iterations, converged } = twoStage(
		(t) => -sampleObjective(toParams(t)).value / (picks?.length ?? n),
		(t) => {
			const { value, gradient } = objective(toParams(t));
			return { f: -value / n, g: gradient.map((g) => -g / n) };
		},
		[0, Math.log(2), Math.log(sum / n)],
		options.gTolerance ?? DEFAULT_G_TOLERANCE
	);
	const params = toParams(theta);
	return {
		params,
		logLikelihood: objective(params).value,
		iterations,
		converged,
		n
	};
}
