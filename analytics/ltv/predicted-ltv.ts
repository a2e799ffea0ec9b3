/**
 * Predicted customer lifetime value over a horizon (METRICS.md, "LTV"): BG/NBD expected
 * transactions × Gamma-Gamma expected value per transaction × gross margin.
 */
import { expectedTransactions, type BgnbdParams } from './bgnbd.ts';
import { expectedAverageValue, type GammaGammaParams } from './gamma-gamma.ts';

export interface LtvCustomer {
	/** Repeat transactions in calibration. */
	readonly x: number;
	/** Recency and age, in the BG/NBD fit's time unit (weeks). */
	readonly tx: number;
	readonly T: number;
	/** Mean value of the repeat transactions; ignored when x = 0. */
	readonly mx: number;
}

export interface PredictedLtvInput {
	readonly bgnbd: BgnbdParams;
	readonly gammaGamma: GammaGammaParams;
	readonly customer: LtvCustomer;
	/** Forecast horizon in the BG/NBD time unit (52 weeks for the 12-month LTV). */
	readonly horizon: number;
	/** Gross margin as a fraction of revenue. */
	readonly margin: number;
	/** Yearly discount rate (0.1 = 10 %); undiscounted when absent or 0. */
	readonly annualDiscountRate?: number;
	/** Time units per year, for discounting. Default 365.25 / 7 (weeks). */
	readonly unitsPerYear?: number;
}

/**
 * Without discounting: E[Y(horizon) | x, t_x, T] · E[M | x, m_x] · margin.
 *
 * With discounting, the expected transactions of each time unit k, E[Y(k)] − E[Y(k−1)], are
 * discounted to today by (1 + rate)^(−k / unitsPerYear), i.e. as if they fell at the end of the
 * unit (a partial last unit ends at the horizon). Weekly steps keep the error of that
 * end-of-period convention below one week's discount (about 0.2 % a year at 10 %), at the cost of
 * one ₂F₁ per week per customer; fit once, then run this over the distinct customers.
 */
export function predictedLtv(input: PredictedLtvInput): number {
	const { bgnbd, gammaGamma, customer, horizon, margin } = input;
	if (!Number.isFinite(margin)) throw new RangeError(`Predicted LTV: margin = ${margin}.`);
	const transactions = discountedExpectedTransactions(
		bgnbd,
		customer,
		horizon,
		input.annualDiscountRate,
		input.unitsPerYear
	);
	return transactions * expectedAverageValue(gammaGamma, customer.x, customer.mx) * margin;
}

/**
 * Σₖ (E[Y(k)] − E[Y(k−1)]) · (1 + rate)^(−k / unitsPerYear) over the horizon (see predictedLtv):
 * the expected transactions, discounted; E[Y(horizon)] when the rate is 0 or absent.
 */
export function discountedExpectedTransactions(
	bgnbd: BgnbdParams,
	customer: Pick<LtvCustomer, 'x' | 'tx' | 'T'>,
	horizon: number,
	annualDiscountRate = 0,
	unitsPerYear = 365.25 / 7
): number {
	const rate = annualDiscountRate;
	if (!(horizon >= 0 && Number.isFinite(horizon))) {
		throw new RangeError(`Predicted LTV: horizon = ${horizon}; it must be finite and ≥ 0.`);
	}
	if (!(rate > -1 && Number.isFinite(rate))) {
		throw new RangeError(`Predicted LTV: annual discount rate = ${rate}; it must be > −1.`);
	}
	if (!(unitsPerYear > 0)) throw new RangeError(`Predicted LTV: unitsPerYear = ${unitsPerYear}.`);

	const { x, tx, T } = customer;
	const expected = (t: number) => expectedTransactions(bgnbd, t, x, tx, T);
	if (rate === 0) return expected(horizon);

	let discounted = 0;
	let previous = 0;
	for (let k = 1; k - 1 < horizon; k++) {
		const end = Math.min(k, horizon);
		const cumulative = expected(end);
		discounted += (cumulative - previous) * Math.pow(1 + rate, -end / unitsPerYear);
		previous = cumulative;
	}
	return discounted;
}
