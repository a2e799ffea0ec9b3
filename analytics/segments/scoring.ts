/**
 * RFM scoring (METRICS.md, "Value"): quintile scores 1..5 and the 11-segment map. Pure: the
 * refresh's SQL (sql/queries/segments-refresh.sql) computes the same scores with the same integer
 * formula and reads the segment grid below as a parameter, and the integration test checks the two
 * agree on a random data set.
 *
 * Quintile rule. Over the n scored accounts (≥ 1 counted order in the lookback), a value v has the
 * mid-rank percentile p = (below + equal / 2) / n, where `below` counts the accounts with a worse
 * value and `equal` those with the same value (the account itself included). Its score is the
 * quintile p falls in, [0, 0.2) → 1, [0.2, 0.4) → 2, …, [0.8, 1) → 5, a value exactly on a
 * boundary going to the upper quintile: score = 1 + ⌊5p⌋ = 1 + ⌊(10·below + 5·equal) / (2n)⌋,
 * computed in integers so that TypeScript and ClickHouse cannot round differently. p < 1 always,
 * so the score never exceeds 5.
 * - Ties: equal values have equal `below` and `equal`, hence equal scores.
 * - n a multiple of 5, all values distinct: exactly n/5 accounts per score.
 * - Few accounts: a single account scores 3 (the middle), two score 2 and 4, three 1, 3 and 5;
 *   when every account has the same value they all score 3.
 * - "Worse": for F and M a smaller value; for R (days since the last order) a larger one, so the
 *   most recent buyers score 5.
 */

/** Stable keys of the RFM segments (the UI translates them; never rename one once released). */
export const RFM_SEGMENTS = [
	'champions',
	'loyal',
	'potential_loyalist',
	'new',
	'promising',
	'need_attention',
	'about_to_sleep',
	'at_risk',
	'cant_lose',
	'hibernating',
	'lost'
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** English names of the segments, for the CLI and documentation (the portal uses i18n). */
export const RFM_SEGMENT_NAMES: Readonly<Record<RfmSegment, string>> = {
	champions: 'Champions',
	loyal: 'Loyal',
	potential_loyalist: 'Potential loyalist',
	new: 'New',
	promising: 'Promising',
	need_attention: 'Need attention',
	about_to_sleep: 'About to sleep',
	at_risk: 'At risk',
	cant_lose: "Can't lose them",
	hibernating: 'Hibernating',
	lost: 'Lost'
};

/**
 * The segment map: SEGMENT_GRID[r − 1][fm − 1] for R score r and FM score fm (both 1..5). Rows
 * from R = 1 (longest since the last order) to R = 5 (most recent):
 *
 *           FM=1              FM=2                FM=3                FM=4       FM=5
 *   R=5  new               potential_loyalist  potential_loyalist  champions  champions
 *   R=4  promising         potential_loyalist  potential_loyalist  loyal      loyal
 *   R=3  about_to_sleep    about_to_sleep      need_attention      loyal      loyal
 *   R=2  hibernating       hibernating         at_risk             at_risk    cant_lose
 *   R=1  lost              lost                at_risk             at_risk    cant_lose
 */
export const SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
	['lost', 'lost', 'at_risk', 'at_risk', 'cant_lose'],
	['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose'],
	['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
	['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
	['new', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions']
];

export type Score = 1 | 2 | 3 | 4 | 5;

function checkScore(s: number, what: string): void {
	if (!Number.isInteger(s) || s < 1 || s > 5) throw new RangeError(`${what} ${s} is not 1..5`);
}

/** The quintile score of one value: 1 + ⌊(10·below + 5·equal) / (2n)⌋ (see the module comment). */
export function quintileScore(below: number, equal: number, n: number): Score {
	if (!(n > 0) || below < 0 || equal < 1 || below + equal > n) {
		throw new RangeError(`no score for below=${below}, equal=${equal} of n=${n}`);
	}
	return (1 + Math.floor((10 * below + 5 * equal) / (2 * n))) as Score;
}

/**
 * Scores of every value of a population, in input order; `higherIsBetter` false for recency
 * (days), so that the smallest number of days scores 5.
 */
export function quintileScores(values: readonly number[], higherIsBetter = true): Score[] {
	const n = values.length;
	const sorted = values.map((v) => (higherIsBetter ? v : -v)).sort((a, b) => a - b);
	const byValue = new Map<number, Score>();
	for (let i = 0; i < n;) {
		let j = i;
		while (j < n && sorted[j] === sorted[i]) j++;
		byValue.set(sorted[i]!, quintileScore(i, j - i, n));
		i = j;
	}
	return values.map((v) => byValue.get(higherIsBetter ? v : -v)!);
}

/** The combined F/M score: the mean of F and M, a half rounded up (F 4, M 5 → 5). */
export function fmScore(f: number, m: number): Score {
	checkScore(f, 'F score');
	checkScore(m, 'M score');
	return Math.floor((f + m + 1) / 2) as Score;
}

/** The segment of an R score and an FM score. */
export function rfmSegment(r: number, fm: number): RfmSegment {
	checkScore(r, 'R score');
	checkScore(fm, 'FM score');
	return SEGMENT_GRID[r - 1]![fm - 1]!;
}

export interface RfmInput {
	/** Days since the last counted order (0 = on the as-of day). */
	readonly recencyDays: number;
	/** Counted orders in the lookback (≥ 1). */
	readonly frequency: number;
	/** Revenue of those orders. */
	readonly monetary: number;
}

export interface RfmScores {
	readonly r: Score;
	readonly f: Score;
	readonly m: Score;
	readonly fm: Score;
	readonly segment: RfmSegment;
}

/** Scores and segments of a population of scored accounts, in input order. */
export function scoreRfm(accounts: readonly RfmInput[]): RfmScores[] {
	const r = quintileScores(
		accounts.map((a) => a.recencyDays),
		false
	);
	const f = quintileScores(accounts.map((a) => a.frequency));
	const m = quintileScores(accounts.map((a) => a.monetary));
	return accounts.map((_, i) => {
		const fm = fmScore(f[i]!, m[i]!);
		return { r: r[i]!, f: f[i]!, m: m[i]!, fm, segment: rfmSegment(r[i]!, fm) };
	});
}
