/**
 * Product affinity and cross-sell suggestions in plain TypeScript (METRICS.md, "Cross-sell"): the
 * reference the SQL of the refresh step is tested against, per account, not per order.
 *
 * Over the accounts with a purchase in the lookback (N of them), for products A ≠ B:
 * support = accounts with A and B ÷ N, confidence(A → B) = accounts with A and B ÷ accounts with
 * A, lift = confidence ÷ (accounts with B ÷ N). lift > 1 is decided on whole numbers
 * (n_ab · N > n_a · n_b), so a pair at exactly 1 never passes by a rounding error.
 */

export interface AffinityPair {
	readonly skuA: string;
	readonly skuB: string;
	readonly accountsA: number;
	readonly accountsB: number;
	readonly accountsAB: number;
	readonly accountsTotal: number;
	readonly support: number;
	readonly confidence: number;
	readonly lift: number;
}

/** Every ordered pair bought together by at least one account; baskets: account → products. */
export function productAffinity(
	baskets:
		ReadonlyMap<string, ReadonlySet<string>> | Iterable<readonly [string, ReadonlySet<string>]>
): AffinityPair[] {
	const perSku = new Map<string, number>();
	const pairs = new Map<string, number>();
	let total = 0;
	for (const [, skus] of baskets) {
		if (skus.size === 0) continue;
		total++;
		for (const a of skus) {
			perSku.set(a, (perSku.get(a) ?? 0) + 1);
			for (const b of skus) {
				if (a === b) continue;
				const k = `${a}\u0000${b}`;
				pairs.set(k, (pairs.get(k) ?? 0) + 1);
			}
		}
	}
	const out: AffinityPair[] = [];
	for (const [k, n] of pairs) {
		const [a, b] = k.split('\u0000') as [string, string];
		const na = perSku.get(a)!;
		const nb = perSku.get(b)!;
		out.push({
			skuA: a,
			skuB: b,
			accountsA: na,
			accountsB: nb,
			accountsAB: n,
			accountsTotal: total,
			support: n / total,
			confidence: n / na,
			lift: (n * total) / (na * nb)
		});
	}
	return out.sort((x, y) =>
		x.skuA < y.skuA ? -1 : x.skuA > y.skuA ? 1 : x.skuB < y.skuB ? -1 : x.skuB > y.skuB ? 1 : 0
	);
}

/** Whether a pair is a usable rule: lift above 1 (on whole numbers) and confidence ≥ the minimum. */
export function isRule(p: AffinityPair, minConfidence: number): boolean {
	return (
		p.accountsAB * p.accountsTotal > p.accountsA * p.accountsB && p.confidence >= minConfidence
	);
}

export interface Suggestion {
	readonly accountId: string;
	/** 1 = best. */
	readonly rank: number;
	readonly sku: string;
	readonly confidence: number;
	readonly lift: number;
	readonly score: number;
	readonly becauseSku: string;
}

export interface SuggestionInput {
	/** Products each account bought in the lookback (the A side). */
	readonly recent: ReadonlyMap<string, ReadonlySet<string>>;
	/** Products each account ever bought (never suggested to it). */
	readonly owned: ReadonlyMap<string, ReadonlySet<string>>;
	/** List price per product in the catalogue; products outside it are not suggested. */
	readonly prices: ReadonlyMap<string, number>;
	readonly minConfidence: number;
	/** Suggestions per account. */
	readonly top: number;
}

/**
 * Per account, the products B it never bought with a rule A → B from a product A it bought in the
 * lookback; the best A per B by confidence, then lift, then the smaller sku; score = confidence ×
 * price; the `top` best by score, then sku.
 */
export function crossSellReference(
	pairs: readonly AffinityPair[],
	input: SuggestionInput
): Suggestion[] {
	const rulesFrom = new Map<string, AffinityPair[]>();
	for (const p of pairs) {
		if (!isRule(p, input.minConfidence)) continue;
		const list = rulesFrom.get(p.skuA) ?? [];
		list.push(p);
		rulesFrom.set(p.skuA, list);
	}
	const better = (x: AffinityPair, y: AffinityPair) =>
		x.confidence !== y.confidence
			? x.confidence > y.confidence
			: x.lift !== y.lift
				? x.lift > y.lift
				: x.skuA < y.skuA;
	const out: Suggestion[] = [];
	for (const [accountId, recent] of [...input.recent].sort(([a], [b]) =>
		a < b ? -1 : a > b ? 1 : 0
	)) {
		const owned = input.owned.get(accountId) ?? new Set<string>();
		const best = new Map<string, AffinityPair>();
		for (const a of recent) {
			for (const rule of rulesFrom.get(a) ?? []) {
				if (owned.has(rule.skuB) || !input.prices.has(rule.skuB)) continue;
				const current = best.get(rule.skuB);
				if (!current || better(rule, current)) best.set(rule.skuB, rule);
			}
		}
		const ranked = [...best.values()]
			.map((r) => ({ rule: r, score: r.confidence * input.prices.get(r.skuB)! }))
			.sort((x, y) => y.score - x.score || (x.rule.skuB < y.rule.skuB ? -1 : 1))
			.slice(0, input.top);
		ranked.forEach(({ rule, score }, i) =>
			out.push({
				accountId,
				rank: i + 1,
				sku: rule.skuB,
				confidence: rule.confidence,
				lift: rule.lift,
				score,
				becauseSku: rule.skuA
			})
		);
	}
	return out;
}
