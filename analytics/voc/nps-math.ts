/**
 * NPS arithmetic and period grids (pure, no database), as METRICS.md defines them:
 * NPS = %promoters (9–10) − %detractors (0–6); 95 % margin of error in points =
 * 1.96 · sqrt((p+ + p− − (p+ − p−)²) / n) · 100; fewer than the tenant's minimum sample
 * (nps_min_sample, default 30) is "low sample".
 */

/** Months an account's latest NPS response stays its NPS (METRICS.md: the last 12 months). */
export const ACCOUNT_NPS_MONTHS = 12;

export type NpsCategory = 'promoter' | 'passive' | 'detractor';
export const NPS_CATEGORIES: readonly NpsCategory[] = ['promoter', 'passive', 'detractor'];

/** The category of a 0–10 score. */
export function npsCategory(score: number): NpsCategory {
	if (!Number.isInteger(score) || score < 0 || score > 10) {
		throw new RangeError(`An NPS score is a whole number from 0 to 10, not ${score}`);
	}
	return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export interface NpsStats {
	readonly n: number;
	readonly promoters: number;
	readonly passives: number;
	readonly detractors: number;
	/** −100…100; null without responses (no NPS, rather than 0). */
	readonly nps: number | null;
	/** Half-width of the 95 % interval, in NPS points; null without responses. */
	readonly marginOfError: number | null;
}

/** NPS and its margin of error from the counts of one period or group. */
export function npsStats(promoters: number, passives: number, detractors: number): NpsStats {
	for (const [name, v] of [
		['promoters', promoters],
		['passives', passives],
		['detractors', detractors]
	] as const) {
		if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a count, not ${v}`);
	}
	const n = promoters + passives + detractors;
	if (n === 0) {
		return { n, promoters, passives, detractors, nps: null, marginOfError: null };
	}
	const pPlus = promoters / n;
	const pMinus = detractors / n;
	const variance = pPlus + pMinus - (pPlus - pMinus) ** 2;
	return {
		n,
		promoters,
		passives,
		detractors,
		nps: (pPlus - pMinus) * 100,
		marginOfError: 1.96 * Math.sqrt(Math.max(0, variance) / n) * 100
	};
}

/** Low sample: fewer responses than the minimum (exactly the minimum is enough). */
export function isLowSample(n: number, minSample: number): boolean {
	return n < minSample;
}

export type Grain = 'month' | 'quarter';
export const GRAINS: readonly Grain[] = ['month', 'quarter'];

/** The first day of the month or quarter of a YYYY-MM-DD day. */
export function periodStart(day: string, grain: Grain): string {
	const year = Number(day.slice(0, 4));
	const month = Number(day.slice(5, 7));
	const first = grain === 'quarter' ? month - ((month - 1) % 3) : month;
	return `${year}-${String(first).padStart(2, '0')}-01`;
}

/**
 * The first days of `count` consecutive periods ending with the one containing `asOf`, oldest
 * first (a trend's x axis: periods without data still appear).
 */
export function periodStarts(asOf: string, grain: Grain, count: number): string[] {
	if (!Number.isInteger(count) || count < 1) {
		throw new RangeError(`The number of periods must be a whole number from 1, not ${count}`);
	}
	const last = periodStart(asOf, grain);
	const step = grain === 'quarter' ? 3 : 1;
	const index = Number(last.slice(0, 4)) * 12 + Number(last.slice(5, 7)) - 1;
	const out: string[] = [];
	for (let k = count - 1; k >= 0; k--) {
		const m = index - k * step;
		out.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`);
	}
	return out;
}

/** The day `months` calendar months before a YYYY-MM-DD day (clamped to the month's end). */
export function monthsBefore(day: string, months: number): string {
	const year = Number(day.slice(0, 4));
	const month = Number(day.slice(5, 7));
	const date = Number(day.slice(8, 10));
	const index = year * 12 + month - 1 - months;
	const y = Math.floor(index / 12);
	const m = (index % 12) + 1;
	const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
	return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(date, last)).padStart(2, '0')}`;
}
