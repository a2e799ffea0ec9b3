/**
 * Lifecycle stage of an account as of D (METRICS.md, "Value"). Pure: the refresh's SQL
 * (sql/queries/segments-refresh.sql) applies the same rule, in the same order.
 *
 * Conditions (settings in brackets; revenue = counted orders in the reporting currency):
 * - churned: churned as of D (account_snapshot.churned, METRICS.md "Churned as of D");
 * - potential: no activity yet, i.e. no counted order (and, unless the business model is
 *   `orders`, no subscription started: a subscriber is a customer, not a prospect);
 * - decline: health band red in the same refresh, or revenue_6m < [declineRatio] × revenue_prev_6m;
 * - growth: first activity fewer than [growthNewDays] days before D (0 = on D), or revenue_6m > 0
 *   and revenue_6m ≥ [growthRatio] × revenue_prev_6m (an account back from a quiet half-year grows);
 * - mature: tenure ≥ 1 year (first activity on or before D − 12 months) and revenue within
 *   [declineRatio, growthRatio) × revenue_prev_6m.
 *
 * Precedence when several hold: churned > potential > decline > growth > mature (a new account
 * with red health is in decline: the warning matters more than its age). An account that fits
 * none of them has not declined and has not grown: it is mature once its tenure is ≥ 1 year
 * (this also covers a steady subscriber without order revenue in either half-year), and growth in
 * its first year (an account still being developed).
 */

export const LIFECYCLE_STAGES = ['potential', 'growth', 'mature', 'decline', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export interface LifecycleSettings {
	readonly growthNewDays: number;
	readonly growthRatio: number;
	readonly declineRatio: number;
}

export interface LifecycleInput {
	/** YYYY-MM-DD. */
	readonly asOf: string;
	/** YYYY-MM-DD of the first counted order or subscription start; null: none yet. */
	readonly firstActivity: string | null;
	readonly churned: boolean;
	readonly healthRed: boolean;
	readonly revenue6m: number;
	readonly revenuePrev6m: number;
}

const DAY_MS = 86_400_000;
const utcDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

/** D − `months` calendar months, clamped to the month's last day (as ClickHouse addMonths). */
export function subtractMonths(iso: string, months: number): string {
	const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
	const index = y * 12 + (m - 1) - months;
	const year = Math.floor(index / 12);
	const month = index - year * 12;
	const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

export function lifecycleStage(a: LifecycleInput, s: LifecycleSettings): LifecycleStage {
	if (a.churned) return 'churned';
	if (a.firstActivity === null) return 'potential';
	if (a.healthRed || a.revenue6m < s.declineRatio * a.revenuePrev6m) return 'decline';
	const daysSinceFirst = Math.round((utcDay(a.asOf) - utcDay(a.firstActivity)) / DAY_MS);
	if (daysSinceFirst < s.growthNewDays) return 'growth';
	if (a.revenue6m > 0 && a.revenue6m >= s.growthRatio * a.revenuePrev6m) return 'growth';
	return a.firstActivity <= subtractMonths(a.asOf, 12) ? 'mature' : 'growth';
}
