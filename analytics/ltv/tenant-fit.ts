/**
 * Fits the BG/NBD and Gamma-Gamma models to a tenant's purchase summary, and says in words when a
 * model cannot be used: too few repeat customers, no convergence, an infinite mean spend. Shared
 * by the refresh and the holdout check, so both judge a fit the same way.
 */
import { fitBgnbdAtScale, fitGammaGammaAtScale } from './at-scale.ts';
import type { BgnbdParams } from './bgnbd.ts';
import type { GammaGammaParams } from './gamma-gamma.ts';
import { MIN_REPEAT_CUSTOMERS, type PurchaseHistories } from './inputs.ts';

/**
 * fitted: usable. too_few: not fitted, under MIN_REPEAT_CUSTOMERS repeat customers.
 * not_converged / unusable: fitted, but the parameters are not used (see message).
 * skipped: the tenant's business model does not use it.
 */
export type FitStatus = 'fitted' | 'too_few' | 'not_converged' | 'unusable' | 'skipped';

export interface ModelFit<P> {
	readonly model: 'bgnbd' | 'gamma_gamma';
	readonly status: FitStatus;
	/** The maximum found (also when not used, for diagnosis); null when not fitted. */
	readonly params: P | null;
	readonly logLikelihood: number | null;
	/** Customers the model was (or would have been) fitted on. */
	readonly n: number;
	readonly iterations: number;
	readonly converged: boolean;
	/** Why the model is not used; empty when it is. */
	readonly message: string;
	readonly seconds: number;
}

export interface TenantFits {
	readonly bgnbd: ModelFit<BgnbdParams>;
	readonly gammaGamma: ModelFit<GammaGammaParams>;
}

const n = (v: number) => v.toLocaleString('en-US');

function notFitted<P>(
	model: ModelFit<P>['model'],
	status: FitStatus,
	customers: number,
	message: string
): ModelFit<P> {
	return {
		model,
		status,
		params: null,
		logLikelihood: null,
		n: customers,
		iterations: 0,
		converged: false,
		message,
		seconds: 0
	};
}

/**
 * Fits both models on the summary rows listed in `rows` (the accounts buying without a contract).
 * `asOf` only words the messages.
 */
export function fitTenantModels(
	summary: PurchaseHistories,
	rows: Int32Array,
	asOf: string,
	options: { skip?: boolean; skipMessage?: string } = {}
): TenantFits {
	if (options.skip) {
		const message = options.skipMessage ?? '';
		return {
			bgnbd: notFitted('bgnbd', 'skipped', 0, message),
			gammaGamma: notFitted('gamma_gamma', 'skipped', 0, message)
		};
	}
	const x = new Int32Array(rows.length);
	const txDays = new Int32Array(rows.length);
	const TDays = new Int32Array(rows.length);
	let repeat = 0;
	let valued = 0;
	rows.forEach((row, k) => {
		x[k] = summary.x[row]!;
		txDays[k] = summary.txDays[row]!;
		TDays[k] = summary.TDays[row]!;
		if (x[k]! > 0) {
			repeat++;
			if (summary.mx[row]! > 0) valued++;
		}
	});

	let bgnbd: ModelFit<BgnbdParams>;
	if (repeat < MIN_REPEAT_CUSTOMERS) {
		bgnbd = notFitted(
			'bgnbd',
			'too_few',
			rows.length,
			`Too few data for the BG/NBD model: ${n(repeat)} of ${n(rows.length)} customers buying without a contract had a repeat purchase by ${asOf}, and at least ${MIN_REPEAT_CUSTOMERS} are needed. P(alive), expected orders and predicted LTV are left empty; load more order history or choose a later date.`
		);
	} else {
		const t0 = performance.now();
		const fit = fitBgnbdAtScale({ x, txDays, TDays });
		const seconds = (performance.now() - t0) / 1000;
		bgnbd = {
			model: 'bgnbd',
			status: fit.converged ? 'fitted' : 'not_converged',
			params: fit.params,
			logLikelihood: fit.logLikelihood,
			n: fit.n,
			iterations: fit.iterations,
			converged: fit.converged,
			message: fit.converged
				? ''
				: `The BG/NBD fit did not converge (${fit.iterations} iterations), so P(alive), expected orders and predicted LTV are left empty rather than based on parameters that are not the maximum. This happens when the order history cannot tell the parameters apart (for example when hardly anyone stops buying); the holdout check (tenure ltv --calibration-end) shows how the model does.`,
			seconds
		};
	}

	let gammaGamma: ModelFit<GammaGammaParams>;
	if (valued < MIN_REPEAT_CUSTOMERS) {
		gammaGamma = notFitted(
			'gamma_gamma',
			'too_few',
			valued,
			`Too few data for the Gamma-Gamma spend model: ${n(valued)} customers buying without a contract had repeat purchases of positive value by ${asOf}, and at least ${MIN_REPEAT_CUSTOMERS} are needed. Expected order value and predicted LTV are left empty.`
		);
	} else {
		const gx = new Int32Array(valued);
		const gm = new Float64Array(valued);
		let k = 0;
		for (const row of rows) {
			if (summary.x[row]! > 0 && summary.mx[row]! > 0) {
				gx[k] = summary.x[row]!;
				gm[k++] = summary.mx[row]!;
			}
		}
		const t0 = performance.now();
		const fit = fitGammaGammaAtScale(gx, gm);
		const seconds = (performance.now() - t0) / 1000;
		const usable = fit.converged && fit.params.q > 1;
		gammaGamma = {
			model: 'gamma_gamma',
			status: !fit.converged ? 'not_converged' : usable ? 'fitted' : 'unusable',
			params: fit.params,
			logLikelihood: fit.logLikelihood,
			n: fit.n,
			iterations: fit.iterations,
			converged: fit.converged,
			message: !fit.converged
				? `The Gamma-Gamma spend fit did not converge (${fit.iterations} iterations): expected order value and predicted LTV are left empty.`
				: usable
					? ''
					: `The Gamma-Gamma spend fit has q = ${fit.params.q.toPrecision(3)} ≤ 1, for which the expected order value is infinite (a few very large orders dominate): expected order value and predicted LTV are left empty.`,
			seconds
		};
	}
	return { bgnbd, gammaGamma };
}
