/**
 * Turns a purchase log into the per-customer statistics the LTV models are fitted on, counting
 * exactly as the published CDNOW fits do (../shared/data/cdnow/README.md) — the CDNOW test checks
 * this function and the models together against the published parameters:
 * - purchases by one customer on one day are one transaction, with their values summed;
 * - x = calibration transactions − 1, t_x = (last − first), T = (calibration end − first), in
 *   units of `daysPerUnit` days (7: weeks);
 * - m_x = mean value of the repeat transactions (the first one excluded), NaN when x = 0.
 */

export interface Purchase<Id> {
	readonly customer: Id;
	/** Whole day number (e.g. days since 1970-01-01 in the tenant's time zone). */
	readonly day: number;
	readonly value: number;
}

export interface CalibrationSummaryOptions {
	/** Last day of the calibration period, inclusive, on the same day numbering. */
	readonly calibrationEndDay: number;
	/** Days per model time unit. Default 7 (weeks, as METRICS.md specifies). */
	readonly daysPerUnit?: number;
}

/** Struct of arrays, one entry per customer acquired by the end of calibration. */
export interface CalibrationSummary<Id> {
	readonly customers: Id[];
	readonly x: Float64Array;
	readonly tx: Float64Array;
	readonly T: Float64Array;
	readonly mx: Float64Array;
}

export function summarizeCalibration<Id>(
	purchases: Iterable<Purchase<Id>>,
	options: CalibrationSummaryOptions
): CalibrationSummary<Id> {
	const end = options.calibrationEndDay;
	const unit = options.daysPerUnit ?? 7;
	// Per customer: spend per calendar day, which merges same-day purchases.
	const byCustomer = new Map<Id, Map<number, number>>();
	for (const purchase of purchases) {
		if (!Number.isInteger(purchase.day)) {
			throw new RangeError(
				`Purchase of customer ${String(purchase.customer)}: day = ${purchase.day} is not a whole day number.`
			);
		}
		if (purchase.day > end) continue;
		let days = byCustomer.get(purchase.customer);
		if (!days) byCustomer.set(purchase.customer, (days = new Map()));
		days.set(purchase.day, (days.get(purchase.day) ?? 0) + purchase.value);
	}

	const size = byCustomer.size;
	const summary: CalibrationSummary<Id> = {
		customers: [],
		x: new Float64Array(size),
		tx: new Float64Array(size),
		T: new Float64Array(size),
		mx: new Float64Array(size)
	};
	let i = 0;
	for (const [customer, days] of byCustomer) {
		const ordered = [...days.keys()].sort((d1, d2) => d1 - d2);
		const first = ordered[0]!;
		const last = ordered[ordered.length - 1]!;
		let repeatSpend = 0;
		for (const day of ordered.slice(1)) repeatSpend += days.get(day)!;
		summary.customers.push(customer);
		summary.x[i] = ordered.length - 1;
		summary.tx[i] = (last - first) / unit;
		summary.T[i] = (end - first) / unit;
		summary.mx[i] = ordered.length > 1 ? repeatSpend / (ordered.length - 1) : NaN;
		i++;
	}
	return summary;
}
