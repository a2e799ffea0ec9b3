/**
 * The backtest's scoring of a predictor (pure math, tests/unit/health-metrics.test.ts): ROC AUC
 * from counts per score, and precision, recall and lift per band.
 */

/** Accounts with one score (or one score bin): how many churned and how many did not. */
export interface ScoreCount {
	/** Higher = more likely to churn (the backtest passes 100 − health score). */
	readonly risk: number;
	readonly positives: number;
	readonly negatives: number;
}

/**
 * ROC AUC: the probability that a random churner has a higher risk than a random non-churner,
 * ties counting one half (the Mann–Whitney U statistic ÷ positives × negatives). null when there
 * is no churner or no non-churner, where it is undefined.
 */
export function rocAuc(counts: readonly ScoreCount[]): number | null {
	const groups = new Map<number, { positives: number; negatives: number }>();
	for (const c of counts) {
		const g = groups.get(c.risk) ?? { positives: 0, negatives: 0 };
		g.positives += c.positives;
		g.negatives += c.negatives;
		groups.set(c.risk, g);
	}
	let positives = 0;
	let negatives = 0;
	let wins = 0;
	for (const [, g] of [...groups].sort((a, b) => a[0] - b[0])) {
		// Every churner here outranks every non-churner with a lower risk and ties with these.
		wins += g.positives * (negatives + g.negatives / 2);
		positives += g.positives;
		negatives += g.negatives;
	}
	return positives > 0 && negatives > 0 ? wins / (positives * negatives) : null;
}

export interface BandCount {
	readonly band: string;
	readonly accounts: number;
	readonly churned: number;
}

export interface BandStats extends BandCount {
	/** Churn rate in the band; null for an empty band. */
	readonly precision: number | null;
	/** Share of all churners that fall in the band; null when nobody churned. */
	readonly recall: number | null;
	/** The band's churn rate ÷ the overall churn rate; null when either is undefined or 0 overall. */
	readonly lift: number | null;
}

/** Precision, recall and lift of each band, against the totals over all the bands given. */
export function bandStats(bands: readonly BandCount[]): BandStats[] {
	const accounts = bands.reduce((s, b) => s + b.accounts, 0);
	const churned = bands.reduce((s, b) => s + b.churned, 0);
	const overall = accounts > 0 ? churned / accounts : null;
	return bands.map((b) => {
		const precision = b.accounts > 0 ? b.churned / b.accounts : null;
		return {
			...b,
			precision,
			recall: churned > 0 ? b.churned / churned : null,
			lift: precision !== null && overall ? precision / overall : null
		};
	});
}

/**
 * The backtest's default as-of dates: month-ends D in (lastDay − 12 months, lastDay] whose horizon
 * D + horizonDays is on or before lastDay, oldest first. Dates are YYYY-MM-DD.
 */
export function defaultBacktestDates(lastDay: string, horizonDays: number): string[] {
	const [y, m, d] = lastDay.split('-').map(Number) as [number, number, number];
	const last = Date.UTC(y, m - 1, d);
	// lastDay − 12 months (the 29th of February a year later is the 28th).
	const yearBefore = Date.UTC(
		y - 1,
		m - 1,
		Math.min(d, new Date(Date.UTC(y - 1, m, 0)).getUTCDate())
	);
	const out: string[] = [];
	for (let k = 12; k >= 0; k--) {
		// Day 0 of the next month: the last day of the month k months before lastDay's.
		const end = Date.UTC(y, m - k, 0);
		if (end <= yearBefore || end + horizonDays * 86_400_000 > last) continue;
		out.push(new Date(end).toISOString().slice(0, 10));
	}
	return out;
}
