/**
 * The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value"): a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across
 * customers. It assumes spend per transaction is independent of how often a customer buys, and it
 * is fitted on customers with at least one repeat transaction (x > 0), with m_x the mean value of
 * their repeat transactions.
 */
import { minimizeNelderMead } from './optimize.ts';
import { logGamma } from './special.ts';

export interface GammaGammaParams {
	readonly p: number;
	readonly q: number;
	readonly gamma: number;
}

export interface GammaGammaFitOptions {
	/** Starting point; default p = 1, q = 2 and γ = mean m_x (population mean = mean m_x). */
	readonly start?: GammaGammaParams;
	readonly maxEvaluations?: number;
	/** Convergence tolerance on the mean log-likelihood per customer. Default 1e-12. */
	readonly tolerance?: number;
	readonly maxRestarts?: number;
}

export interface GammaGammaFit {
	readonly params: GammaGammaParams;
	readonly logLikelihood: number;
	readonly iterations: number;
	readonly converged: boolean;
	/** Customers fitted. */
	readonly n: number;
}

function assertParams(params: GammaGammaParams): void {
	for (const key of ['p', 'q', 'gamma'] as const) {
		const value = params[key];
		if (!(value > 0 && Number.isFinite(value))) {
			throw new RangeError(`Gamma-Gamma parameter ${key} = ${value}; all three must be positive.`);
		}
	}
}

function assertCustomers(x: ArrayLike<number>, mx: ArrayLike<number>): void {
	if (x.length !== mx.length) {
		throw new RangeError(`Gamma-Gamma data: x has ${x.length} rows but m_x has ${mx.length}.`);
	}
	for (let i = 0; i < x.length; i++) {
		if (!(Number.isInteger(x[i]) && x[i]! > 0)) {
			throw new RangeError(
				`Gamma-Gamma data row ${i}: x = ${x[i]}; fit only customers with a repeat purchase (x ≥ 1).`
			);
		}
		if (!(mx[i]! > 0 && Number.isFinite(mx[i]))) {
			throw new RangeError(`Gamma-Gamma data row ${i}: m_x = ${mx[i]}; mean spend must be > 0.`);
		}
	}
}

/**
 * Σ log f(m_x | p, q, γ, x), with (Fader & Hardie 2013)
 * f = Γ(px+q)/(Γ(px)Γ(q)) · γ^q · m_x^(px−1) · x^(px) / (γ + m_x·x)^(px+q).
 */
function sumLogLikelihood(
	params: GammaGammaParams,
	x: ArrayLike<number>,
	mx: ArrayLike<number>
): number {
	const { p, q, gamma } = params;
	const constant = q * Math.log(gamma) - logGamma(q);
	let total = 0;
	for (let i = 0; i < x.length; i++) {
		const px = p * x[i]!;
		const m = mx[i]!;
		total +=
			constant +
			logGamma(px + q) -
			logGamma(px) +
			(px - 1) * Math.log(m) +
			px * Math.log(x[i]!) -
			(px + q) * Math.log(gamma + m * x[i]!);
	}
	return total;
}

/** The Gamma-Gamma log-likelihood of customers with x repeat transactions of mean value m_x. */
export function gammaGammaLogLikelihood(
	params: GammaGammaParams,
	x: ArrayLike<number>,
	mx: ArrayLike<number>
): number {
	assertParams(params);
	assertCustomers(x, mx);
	return sumLogLikelihood(params, x, mx);
}

// See bgnbd.ts: keeps a flat likelihood from running off to overflow.
const LOG_BOUND = 18;

/** Maximum-likelihood fit of the Gamma-Gamma model, by Nelder–Mead over log-parameters. */
export function fitGammaGamma(
	x: ArrayLike<number>,
	mx: ArrayLike<number>,
	options: GammaGammaFitOptions = {}
): GammaGammaFit {
	assertCustomers(x, mx);
	const n = x.length;
	if (n === 0) throw new RangeError('Gamma-Gamma fit: no customers with a repeat purchase.');
	let start = options.start;
	if (start) {
		assertParams(start);
	} else {
		let sum = 0;
		for (let i = 0; i < n; i++) sum += mx[i]!;
		start = { p: 1, q: 2, gamma: sum / n };
	}
	const toParams = (theta: readonly number[]): GammaGammaParams => ({
		p: Math.exp(theta[0]!),
		q: Math.exp(theta[1]!),
		gamma: Math.exp(theta[2]!)
	});
	const result = minimizeNelderMead(
		(theta) => -sumLogLikelihood(toParams(theta), x, mx) / n,
		[start.p, start.q, start.gamma].map(Math.log),
		{
			maxEvaluations: options.maxEvaluations,
			fTolerance: options.tolerance,
			maxRestarts: options.maxRestarts,
			lower: Array(3).fill(-LOG_BOUND),
			upper: Array(3).fill(LOG_BOUND)
		}
	);
	const params = toParams(result.x);
	return {
		params,
		logLikelihood: sumLogLikelihood(params, x, mx),
		iterations: result.iterations,
		converged: result.converged,
		n
	};
}

/**
 * E[M | p, q, γ, x, m_x] = p(γ + x·m_x) / (px + q − 1): the customer's expected value per
 * transaction, a weighted mean of the population mean pγ/(q−1) and their own m_x that trusts m_x
 * more the more they bought. With x = 0 it is the population mean (m_x is then ignored).
 * Needs q > 1, else the population mean is infinite.
 */
export function expectedAverageValue(params: GammaGammaParams, x: number, mx: number): number {
	assertParams(params);
	const { p, q, gamma } = params;
	if (!(q > 1)) {
		throw new RangeError(`Gamma-Gamma q = ${q}; expected spend is finite only for q > 1.`);
	}
	if (!(Number.isInteger(x) && x >= 0)) {
		throw new RangeError(`Expected spend: x = ${x}; repeat transactions must be a whole number.`);
	}
	if (x === 0) return (p * gamma) / (q - 1);
	if (!(mx > 0 && Number.isFinite(mx))) {
		throw new RangeError(`Expected spend: m_x = ${mx}; mean spend must be > 0 when x > 0.`);
	}
	return (p * (gamma + x * mx)) / (p * x + q - 1);
}
