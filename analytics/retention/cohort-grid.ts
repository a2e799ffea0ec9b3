/**
 * The cohort matrix from the cells the SQL found (METRICS.md, "Cohort"): every cell from period 0
 * to the as-of period exists (0 when nobody of the cohort was active), cells after the as-of
 * period do not (the future is empty, not zero), and the as-of period's cells are partial (to
 * date). Pure, so it is unit-tested without a database.
 */
import { fromCents, money, moneyRatio, toCents } from './money.ts';
import { addPeriods, periodsBetween, type CohortGrain } from './periods.ts';

/** One aggregated cell as the SQL returns it (only cells with at least one period row). */
export interface CellCount {
	/** YYYY-MM-DD, first day of the cohort's period. */
	readonly cohort: string;
	readonly periodIndex: number;
	/** Accounts of the cohort with any row (activity or revenue) in the cell. */
	readonly accounts: number;
	/** Accounts of the cohort active in the cell. */
	readonly activeAccounts: number;
	/** Decimal string. */
	readonly revenue: string;
}

/**
 * A cell of the cohort matrix. Amounts are decimal strings in the refresh's reporting currency
 * (two fraction digits); ratios are numbers in [0, 1] for logos (revenue retention may exceed 1).
 */
export interface CohortCell {
	/** YYYY-MM-DD, first day of the cohort's period. */
	readonly cohort: string;
	readonly periodIndex: number;
	/** YYYY-MM-DD, first day of the cell's period (cohort + periodIndex periods). */
	readonly period: string;
	/** Accounts whose first activity falls in the cohort's period. */
	readonly cohortSize: number;
	readonly activeAccounts: number;
	/** activeAccounts ÷ cohortSize. */
	readonly logoRetention: number;
	/** Revenue of the cohort's accounts in the cell's period. */
	readonly revenue: string;
	/** revenue ÷ the cohort's period-0 revenue; null when that is 0 (e.g. subscriptions only). */
	readonly revenueRetention: number | null;
	/** The cell's period is the as-of period: activity to date only. */
	readonly partial: boolean;
}

/**
 * Long-format matrix rows ordered by cohort, then period index. `asOfPeriod` is the start of the
 * period containing the as-of date; `maxPeriods` (if given) keeps period indexes 0..maxPeriods.
 * Cohorts come from their period-0 cells, which every cohort has (its accounts' first activity).
 */
export function cohortMatrix(
	cells: readonly CellCount[],
	grain: CohortGrain,
	asOfPeriod: string,
	maxPeriods?: number
): CohortCell[] {
	const byKey = new Map(cells.map((c) => [`${c.cohort}|${c.periodIndex}`, c]));
	const cohorts = cells
		.filter((c) => c.periodIndex === 0)
		.sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : 0));
	const out: CohortCell[] = [];
	for (const base of cohorts) {
		const reached = periodsBetween(base.cohort, asOfPeriod, grain);
		const last = maxPeriods === undefined ? reached : Math.min(reached, maxPeriods);
		const baseRevenue = money(base.revenue);
		for (let k = 0; k <= last; k++) {
			const cell = byKey.get(`${base.cohort}|${k}`);
			const active = cell?.activeAccounts ?? 0;
			const revenue = money(cell?.revenue ?? '0');
			out.push({
				cohort: base.cohort,
				periodIndex: k,
				period: addPeriods(base.cohort, k, grain),
				cohortSize: base.accounts,
				activeAccounts: active,
				logoRetention: base.accounts ? active / base.accounts : 0,
				revenue,
				revenueRetention: moneyRatio(revenue, baseRevenue),
				partial: k === reached
			});
		}
	}
	return out;
}

/** One point of the average retention curve (amounts as decimal strings). */
export interface RetentionCurvePoint {
	readonly periodIndex: number;
	/** Cohorts that reached this period index (see averageCurve for which count). */
	readonly cohorts: number;
	/** Their accounts: the sum of their cohort sizes. */
	readonly accounts: number;
	readonly activeAccounts: number;
	/** activeAccounts ÷ accounts: the cohort-size-weighted mean of the cohorts' logo retention. */
	readonly logoRetention: number;
	/** Revenue in this period of the cohorts with period-0 revenue. */
	readonly revenue: string;
	/** Their period-0 revenue. */
	readonly baseRevenue: string;
	/** revenue ÷ baseRevenue (weighted by period-0 revenue); null when baseRevenue is 0. */
	readonly revenueRetention: number | null;
}

/**
 * The average retention curve: per period index k, over the cohorts that have reached k — whose
 * cell k exists, and unless `includePartial`, whose cell k is complete (not the as-of period, so a
 * cohort's to-date activity does not pull the curve down) — the logo retention weighted by cohort
 * size (Σ active ÷ Σ cohort size) and the revenue retention weighted by period-0 revenue (Σ
 * revenue ÷ Σ period-0 revenue over the cohorts with period-0 revenue).
 */
export function averageCurve(
	matrix: readonly CohortCell[],
	includePartial = false
): RetentionCurvePoint[] {
	const base = new Map<string, bigint>();
	for (const c of matrix) if (c.periodIndex === 0) base.set(c.cohort, toCents(c.revenue));
	const acc = new Map<
		number,
		{ cohorts: number; accounts: number; active: number; revenue: bigint; baseRevenue: bigint }
	>();
	for (const c of matrix) {
		if (c.partial && !includePartial) continue;
		const a = acc.get(c.periodIndex) ?? {
			cohorts: 0,
			accounts: 0,
			active: 0,
			revenue: 0n,
			baseRevenue: 0n
		};
		a.cohorts += 1;
		a.accounts += c.cohortSize;
		a.active += c.activeAccounts;
		const b = base.get(c.cohort) ?? 0n;
		if (b !== 0n) {
			a.revenue += toCents(c.revenue);
			a.baseRevenue += b;
		}
		acc.set(c.periodIndex, a);
	}
	return [...acc.entries()]
		.sort(([a], [b]) => a - b)
		.map(([periodIndex, a]) => ({
			periodIndex,
			cohorts: a.cohorts,
			accounts: a.accounts,
			activeAccounts: a.active,
			logoRetention: a.accounts ? a.active / a.accounts : 0,
			revenue: fromCents(a.revenue),
			baseRevenue: fromCents(a.baseRevenue),
			revenueRetention: a.baseRevenue === 0n ? null : Number(a.revenue) / Number(a.baseRevenue)
		}));
}
