/**
 * Scores every customer with fitted BG/NBD and Gamma-Gamma parameters: P(alive), expected
 * transactions over several horizons, expected value per transaction and predicted LTV.
 *
 * The cost is ₂F₁ in E[Y(t) | x, t_x, T]. Eq. 10 factors as P(alive | x, t_x, T) · G(t; x, T), and
 * only G needs ₂F₁ — and G does not depend on t_x. So G is computed once per distinct (x, T) (at a
 * million accounts about 36,000 of them, against 530,000 distinct (x, t_x, T)), through the public
 * E[Y(t)] of a reference customer with the same (x, T): t_x = T, where P(alive) is
 * 1/(1 + a/(b+x−1)) and never underflows (for x = 0, t_x = 0 and P(alive) = 1). Then
 * E[Y(t) | x, t_x, T] = E[Y(t) | x, t_ref, T] · P(alive | x, t_x, T) / P(alive | x, t_ref, T).
 */
import { expectedTransactions, probabilityAlive, type BgnbdParams } from './bgnbd.ts';
import { expectedAverageValue, type GammaGammaParams } from './gamma-gamma.ts';
import { discountedExpectedTransactions } from './predicted-ltv.ts';

export interface ScoreInput {
	/** Repeat transactions. */
	readonly x: ArrayLike<number>;
	/** Recency and age in whole days. */
	readonly txDays: ArrayLike<number>;
	readonly TDays: ArrayLike<number>;
	/** Mean value of the repeat transactions (ignored when x = 0). */
	readonly mx: ArrayLike<number>;
}

export interface ScoreOptions {
	readonly bgnbd: BgnbdParams;
	/** Without it (no usable spend fit) expected value and LTV are NaN. */
	readonly gammaGamma: GammaGammaParams | null;
	/** Horizons for expected transactions, in model time units (weeks). */
	readonly horizons: readonly number[];
	/** Horizon of the predicted LTV (52 weeks: 12 months). */
	readonly ltvHorizon: number;
	/** Gross margin, a fraction of revenue. */
	readonly margin: number;
	/** Yearly discount rate for the LTV; 0 or absent: undiscounted. */
	readonly annualDiscountRate?: number;
	/** Days per model time unit. Default 7. */
	readonly daysPerUnit?: number;
}

/**
 * One entry per customer; NaN where a value cannot be given: without a spend model (see
 * ScoreOptions.gammaGamma), or where ₂F₁ is outside its accurate range (counted in `unscored`).
 */
export interface Scores {
	readonly pAlive: Float64Array;
	/** One array per horizon, in the order of ScoreOptions.horizons. */
	readonly expected: Float64Array[];
	readonly expectedValue: Float64Array;
	readonly ltv: Float64Array;
	/** Distinct (x, T) for which ₂F₁ was evaluated. */
	readonly distinctHistories: number;
	/** Customers whose expected transactions could not be computed (NaN). */
	readonly unscored: number;
}

export function scoreCustomers(input: ScoreInput, options: ScoreOptions): Scores {
	const rows = input.x.length;
	const unit = options.daysPerUnit ?? 7;
	const { bgnbd, gammaGamma, horizons, ltvHorizon, margin } = options;
	const rate = options.annualDiscountRate ?? 0;
	let maxDay = 0;
	for (let i = 0; i < rows; i++) maxDay = Math.max(maxDay, input.TDays[i]!);
	const days = maxDay + 1;

	// Per distinct (x, T): E[Y(h)] of the reference customer per horizon, its discounted LTV
	// transactions, and its P(alive). Laid out flat: stride = horizons + 2.
	const stride = horizons.length + 2;
	const slot = new Map<number, number>();
	const cache: number[] = [];

	const pAlive = new Float64Array(rows);
	const expected = horizons.map(() => new Float64Array(rows));
	const expectedValue = new Float64Array(rows);
	const ltv = new Float64Array(rows);
	const canValue = gammaGamma !== null && gammaGamma.q > 1;
	let unscored = 0;
	for (let i = 0; i < rows; i++) {
		const x = input.x[i]!;
		const TDays = input.TDays[i]!;
		const T = TDays / unit;
		const tx = input.txDays[i]! / unit;
		const key = x * days + TDays;
		let at = slot.get(key);
		if (at === undefined) {
			at = cache.length;
			slot.set(key, at);
			const reference = { x, tx: x > 0 ? T : 0, T };
			try {
				for (const h of horizons) cache.push(expectedTransactions(bgnbd, h, x, reference.tx, T));
				cache.push(discountedExpectedTransactions(bgnbd, reference, ltvHorizon, rate));
				cache.push(probabilityAlive(bgnbd, x, reference.tx, T));
			} catch (e) {
				// ₂F₁ refuses arguments where it cannot be accurate (special.ts): no value, counted.
				if (!(e instanceof RangeError)) throw e;
				cache.length = at;
				for (let k = 0; k < stride; k++) cache.push(NaN);
			}
		}
		const alive = probabilityAlive(bgnbd, x, tx, T);
		const ratio = alive / cache[at + stride - 1]!;
		pAlive[i] = alive;
		for (let h = 0; h < horizons.length; h++) expected[h]![i] = cache[at + h]! * ratio;
		const mx = input.mx[i]!;
		const value =
			canValue && (x === 0 || (mx > 0 && Number.isFinite(mx)))
				? expectedAverageValue(gammaGamma, x, mx)
				: NaN;
		expectedValue[i] = value;
		ltv[i] = cache[at + stride - 2]! * ratio * value * margin;
		if (!Number.isFinite(expected[0]![i]!)) unscored++;
	}
	return { pAlive, expected, expectedValue, ltv, distinctHistories: slot.size, unscored };
}
