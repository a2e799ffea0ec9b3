import { describe, expect, test } from 'vitest';
import {
	crossSellReference,
	isRule,
	productAffinityReference as productAffinity
} from '../../analytics/cross-sell/index.ts';

/**
 * Four accounts' baskets in the lookback: A1 {X, Y}, A2 {X, Y, Z}, A3 {X}, A4 {Z, W}. N = 4;
 * accounts with X 3, Y 2, Z 2, W 1; together X&Y 2 (A1, A2), X&Z 1, Y&Z 1, Z&W 1.
 */
const baskets = new Map([
	['A1', new Set(['X', 'Y'])],
	['A2', new Set(['X', 'Y', 'Z'])],
	['A3', new Set(['X'])],
	['A4', new Set(['Z', 'W'])],
	['A5', new Set<string>()]
]);

describe('productAffinity (per account)', () => {
	const pairs = productAffinity(baskets);
	const pair = (a: string, b: string) => pairs.find((p) => p.skuA === a && p.skuB === b);

	test('support, confidence and lift worked out by hand', () => {
		// X → Y: support 2/4, confidence 2/3, lift (2/3) / (2/4) = 4/3.
		expect(pair('X', 'Y')).toEqual({
			skuA: 'X',
			skuB: 'Y',
			accountsA: 3,
			accountsB: 2,
			accountsAB: 2,
			accountsTotal: 4,
			support: 0.5,
			confidence: 2 / 3,
			lift: 4 / 3
		});
		// Y → X: confidence 2/2, lift 1 / (3/4) = 4/3.
		expect(pair('Y', 'X')).toMatchObject({ confidence: 1, lift: 4 / 3 });
		// X → Z: confidence 1/3, lift (1/3) / (2/4) = 2/3; Y → Z: (1/2) / (2/4) = 1 exactly.
		expect(pair('X', 'Z')).toMatchObject({ support: 0.25, confidence: 1 / 3, lift: 2 / 3 });
		expect(pair('Y', 'Z')!.lift).toBe(1);
		// Z → W: (1/2) / (1/4) = 2.
		expect(pair('Z', 'W')).toMatchObject({ confidence: 0.5, lift: 2 });
		// Pairs never bought together are absent; the empty basket is not an account of N.
		expect(pair('X', 'W')).toBeUndefined();
		expect(pairs).toHaveLength(8);
	});

	test('a rule needs lift above 1 (exactly 1 is not) and the minimum confidence', () => {
		expect(isRule(pair('Y', 'Z')!, 0.1)).toBe(false);
		expect(isRule(pair('X', 'Y')!, 2 / 3)).toBe(true);
		expect(isRule(pair('X', 'Y')!, 0.7)).toBe(false);
		expect(isRule(pair('X', 'Z')!, 0.1)).toBe(false);
	});

	test('suggestions: not owned, in the catalogue, best reason, ranked by confidence × price', () => {
		const prices = new Map([
			['X', 100],
			['Y', 50],
			['Z', 80],
			['W', 200]
		]);
		const owned = new Map(baskets);
		owned.set('A2', new Set(['X', 'Y', 'Z', 'W']));
		const s = crossSellReference(pairs, {
			recent: baskets,
			owned,
			prices,
			minConfidence: 0.5,
			top: 5
		});
		// Rules (lift > 1, confidence ≥ 0.5): X → Y, Y → X, Z → W, W → Z. A1 owns X and Y; A2 owns
		// W (bought before the lookback); A4 owns Z and W, and Z → Y has lift 1. A3 gets Y from X.
		expect(s).toEqual([
			{
				accountId: 'A3',
				rank: 1,
				sku: 'Y',
				confidence: 2 / 3,
				lift: 4 / 3,
				score: (2 / 3) * 50,
				becauseSku: 'X'
			}
		]);
		expect(
			crossSellReference(pairs, { recent: baskets, owned, prices, minConfidence: 0.7, top: 5 })
		).toEqual([]);
		// Without W in the catalogue A2 gets nothing either way; with W not owned it gets W from Z.
		const s2 = crossSellReference(pairs, {
			recent: baskets,
			owned: baskets,
			prices,
			minConfidence: 0.5,
			top: 5
		});
		expect(s2.map((x) => [x.accountId, x.sku, x.becauseSku, x.score])).toEqual([
			['A2', 'W', 'Z', 0.5 * 200],
			['A3', 'Y', 'X', (2 / 3) * 50]
		]);
	});
});
