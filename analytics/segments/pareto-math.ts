/**
 * Revenue concentration (the Pareto or Lorenz curve): the share of revenue that the top fraction x
 * of accounts brings. Pure reference of sql/queries/segments-pareto.sql.
 *
 * Over the n accounts with revenue > 0, sorted by revenue descending, C(i) is the top i accounts'
 * revenue (C(0) = 0). At x = i/n the share is C(i)/C(n); between whole accounts the curve is
 * linear, so the top 1 % of 50 accounts (half an account) has half the top account's revenue:
 * with k = ⌊xn⌋, share(x) = (C(k) + (xn − k)·(C(k + 1) − C(k))) / C(n).
 */

/** The standard marks of the portal's Pareto card: top 1 %, 5 %, 10 %, 20 %, 50 %, 100 %. */
export const PARETO_MARKS = [0.01, 0.05, 0.1, 0.2, 0.5, 1] as const;

/** share(x) for each x in `fractions` (each 0..1); null for every x when no revenue is > 0. */
export function paretoShares(
	revenues: readonly number[],
	fractions: readonly number[]
): (number | null)[] {
	const sorted = revenues.filter((r) => r > 0).sort((a, b) => b - a);
	const n = sorted.length;
	const cum = [0];
	for (const r of sorted) cum.push(cum[cum.length - 1]! + r);
	return fractions.map((x) => {
		if (!(x >= 0 && x <= 1)) throw new RangeError(`fraction ${x} is not between 0 and 1`);
		if (n === 0) return null;
		const k = Math.floor(x * n);
		const next = cum[Math.min(k + 1, n)]!;
		return (cum[k]! + (x * n - k) * (next - cum[k]!)) / cum[n]!;
	});
}

/** The fractions 0, 1/points, 2/points, …, 1 of a curve drawn in `points` steps. */
export function curveFractions(points: number): number[] {
	return Array.from({ length: points + 1 }, (_, j) => j / points);
}
