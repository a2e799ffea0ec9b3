import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setTenantSetting } from '../../analytics/config.ts';
import {
	crossSellReference,
	crossSellStep,
	crossSellSuggestions,
	productAffinity,
	productAffinityReference
} from '../../analytics/cross-sell/index.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import { openTestDb } from '../factories/db.ts';
import { loadEntity } from '../factories/core.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * Cross-sell on two data sets in one database, kept apart by date: a hand-built one as of
 * 2025-06-30 (purchases in 2025 and one in 2023, outside the default 365-day lookback) and a
 * random one as of 2021-06-30 (purchases from 2019-07 to 2021-06, before the hand-built ones
 * exist and outside their lookback), compared with the TypeScript reference.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const HAND = '2025-06-30';
const RANDOM = '2021-06-30';

const HAND_PRODUCTS: Record<string, number> = { X: 100, Y: 50, Z: 80, W: 200, V: 10 };
const RANDOM_PRODUCTS = ['R0', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7'];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let x = Math.imul(a ^ (a >>> 15), 1 | a);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

const day = (base: string, offset: number) =>
	new Date(Date.parse(`${base}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** Random purchases: account → sku → purchase days. */
const randomPurchases = new Map<string, Map<string, string[]>>();

beforeAll(async () => {
	t = await openTestDb();
	const rnd = random(42);
	const randomAccounts = Array.from({ length: 60 }, (_, i) => `Q${String(i).padStart(2, '0')}`);
	for (const id of randomAccounts) {
		// Two tastes make some pairs go together (lift > 1); a few accounts buy nothing.
		const taste =
			rnd() < 0.5
				? [0.7, 0.6, 0.5, 0.1, 0.1, 0.2, 0.3, 0.05]
				: [0.1, 0.15, 0.2, 0.6, 0.7, 0.4, 0.3, 0.05];
		const bought = new Map<string, string[]>();
		RANDOM_PRODUCTS.forEach((sku, k) => {
			if (rnd() >= taste[k]!) return;
			// One or two purchase days between 2019-07-01 and 2021-06-30 (730 days).
			const days = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () =>
				day('2019-07-01', Math.floor(rnd() * 730))
			);
			bought.set(sku, days);
		});
		randomPurchases.set(id, bought);
	}
	await loadEntity(t.db, files, 'accounts', [
		...['A1', 'A2', 'A3', 'A4', 'A5'].map((id) => ({
			account_id: id,
			name: `Account ${id}`,
			segment: 'hand',
			owner_email: id === 'A3' ? 'csm2@example.cn' : 'csm1@example.cn',
			created_at: '2019-01-01 00:00:00'
		})),
		...randomAccounts.map((id) => ({
			account_id: id,
			name: `Account ${id}`,
			segment: 'random',
			created_at: '2019-01-01 00:00:00'
		}))
	]);
	await loadEntity(t.db, files, 'products', [
		...Object.entries(HAND_PRODUCTS).map(([sku, price]) => ({
			sku,
			name: `Product ${sku}`,
			category: sku === 'W' ? 'premium' : 'basic',
			list_price: price.toFixed(2)
		})),
		...RANDOM_PRODUCTS.map((sku, k) => ({
			sku,
			name: `Product ${sku}`,
			category: 'random',
			list_price: (10 + 7.5 * k).toFixed(2)
		}))
	]);
	// Hand-built baskets in the lookback: A1 {X, Y}, A2 {X, Y, Z}, A3 {X}, A4 {Z, W}; A2 also
	// bought W in 2023 (outside the lookback: not in its basket, but owned); A5 bought only V in
	// 2023 (not an account of the affinity).
	const hand: [string, string, string][] = [
		['A1', 'X', '2025-03-01'],
		['A1', 'Y', '2025-03-02'],
		['A2', 'X', '2025-04-01'],
		['A2', 'Y', '2025-04-01'],
		['A2', 'Z', '2025-05-01'],
		['A2', 'W', '2023-05-01'],
		['A3', 'X', '2025-02-01'],
		['A4', 'Z', '2025-01-10'],
		['A4', 'W', '2025-01-11'],
		['A5', 'V', '2023-05-01']
	];
	const random_: [string, string, string][] = [...randomPurchases].flatMap(([id, bought]) =>
		[...bought].flatMap(([sku, days]) => days.map((d) => [id, sku, d] as [string, string, string]))
	);
	const all = [...hand, ...random_];
	await loadEntity(
		t.db,
		files,
		'orders',
		all.map(([account, , d], i) => ({
			order_id: `O${i}`,
			account_id: account,
			ordered_at: `${d} 10:00:00`,
			status: 'completed',
			currency: 'CNY',
			net_amount: '10.00'
		}))
	);
	await loadEntity(
		t.db,
		files,
		'order_lines',
		all.map(([, sku], i) => ({
			order_id: `O${i}`,
			line_no: 1,
			sku,
			quantity: 1,
			net_amount: '10.00'
		}))
	);
	// The random set is refreshed with a lower minimum confidence, so that its rules suggest more.
	await setTenantSetting(t.db, 'cross_sell_min_confidence', '0.3');
	await refreshAnalytics(t.db, { asOf: RANDOM, steps: [crossSellStep] });
	await setTenantSetting(t.db, 'cross_sell_min_confidence', '0.5');
	await refreshAnalytics(t.db, { asOf: HAND, steps: [crossSellStep] });
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

describe('hand-built baskets', () => {
	test('affinity numbers worked out by hand', async () => {
		const { rows } = await productAffinity(t.db, { asOf: HAND, limit: 100 });
		// N = 4 (A5's only purchase is older than the lookback). X&Y: A1, A2; X 3, Y 2, Z 2, W 1.
		// Ordered by lift: Z → W and W → Z (2), X → Y and Y → X (4/3; Y → X has confidence 1), Y → Z
		// and Z → Y (1), X → Z and Z → X (2/3).
		expect(
			rows.map((r) => [r.skuA, r.skuB, r.accountsAB, r.support, r.confidence, r.lift])
		).toEqual([
			['W', 'Z', 1, 1 / 4, 1, 2],
			['Z', 'W', 1, 1 / 4, 1 / 2, 2],
			['Y', 'X', 2, 2 / 4, 1, 4 / 3],
			['X', 'Y', 2, 2 / 4, 2 / 3, 4 / 3],
			['Y', 'Z', 1, 1 / 4, 1 / 2, 1],
			['Z', 'Y', 1, 1 / 4, 1 / 2, 1],
			['Z', 'X', 1, 1 / 4, 1 / 2, 2 / 3],
			['X', 'Z', 1, 1 / 4, 1 / 3, 2 / 3]
		]);
		expect(rows.every((r) => r.accountsTotal === 4)).toBe(true);
		const strong = await productAffinity(t.db, { asOf: HAND, limit: 100, minLift: 1.5 });
		expect(strong.rows.map((r) => `${r.skuA}>${r.skuB}`)).toEqual(['W>Z', 'Z>W']);
	});

	test('suggestions: lift > 1, confidence ≥ 0.5, never a product already bought', async () => {
		const { rows, total } = await crossSellSuggestions(t.db, {
			asOf: HAND,
			filters: { segment: ['hand'] }
		});
		// Rules: X → Y, Y → X, Z → W, W → Z. A1 owns X and Y; A2 owns W (2023) so Z → W is not
		// offered; A4 owns Z and W (Z → Y has lift 1, Z → X 2/3); A3 gets Y from X: 2/3 × 50.
		expect(total).toBe(1);
		expect(rows).toEqual([
			{
				accountId: 'A3',
				name: 'Account A3',
				ownerEmail: 'csm2@example.cn',
				rank: 1,
				sku: 'Y',
				productName: 'Product Y',
				category: 'basic',
				confidence: 2 / 3,
				lift: 4 / 3,
				price: '50',
				score: (2 / 3) * 50,
				becauseSku: 'X',
				becauseProductName: 'Product X'
			}
		]);
		expect(
			(await crossSellSuggestions(t.db, { asOf: HAND, scope: { owners: ['csm1@example.cn'] } }))
				.rows
		).toEqual([]);
		expect((await crossSellSuggestions(t.db, { asOf: HAND, accountId: 'A3' })).rows).toHaveLength(
			1
		);
	});

	test('filtered affinity is recomputed for the accounts that pass', async () => {
		// Scope: A1 and A4 only. N = 2; X, Y, Z, W once each; X&Y and Z&W once: lift (1/1)/(1/2) = 2.
		const { rows } = await productAffinity(t.db, {
			asOf: HAND,
			limit: 100,
			scope: { accountIds: ['A1', 'A4'] }
		});
		expect(
			rows.map((r) => [r.skuA, r.skuB, r.accountsTotal, r.support, r.confidence, r.lift])
		).toEqual([
			['W', 'Z', 2, 1 / 2, 1, 2],
			['X', 'Y', 2, 1 / 2, 1, 2],
			['Y', 'X', 2, 1 / 2, 1, 2],
			['Z', 'W', 2, 1 / 2, 1, 2]
		]);
	});
});

describe('random baskets against the TypeScript reference', () => {
	const lookbackStart = '2020-06-30'; // 365 days before 2021-06-30: purchases after it count.
	const recent = new Map<string, Set<string>>();
	const owned = new Map<string, Set<string>>();
	beforeAll(() => {
		for (const [id, bought] of randomPurchases) {
			const all = [...bought.keys()];
			if (all.length) owned.set(id, new Set(all));
			const inWindow = all.filter((sku) =>
				bought.get(sku)!.some((d) => d > lookbackStart && d <= RANDOM)
			);
			if (inWindow.length) recent.set(id, new Set(inWindow));
		}
	});

	test('affinity equals the reference', async () => {
		const expected = productAffinityReference(recent);
		expect(expected.length).toBeGreaterThan(20);
		const { rows } = await productAffinity(t.db, { asOf: RANDOM, limit: 10_000 });
		const sorted = [...rows].sort((a, b) => (a.skuA + a.skuB < b.skuA + b.skuB ? -1 : 1));
		expect(sorted).toEqual(expected);
		// Filtered to the random segment (all of this date's buyers): the same numbers, computed live.
		const live = await productAffinity(t.db, {
			asOf: RANDOM,
			limit: 10_000,
			filters: { segment: ['random'] }
		});
		expect([...live.rows].sort((a, b) => (a.skuA + a.skuB < b.skuA + b.skuB ? -1 : 1))).toEqual(
			expected
		);
	});

	test('suggestions equal the reference', async () => {
		const pairs = productAffinityReference(recent);
		const prices = new Map(RANDOM_PRODUCTS.map((sku, k) => [sku, 10 + 7.5 * k]));
		const expected = crossSellReference(pairs, {
			recent,
			owned,
			prices,
			minConfidence: 0.3,
			top: 5
		});
		expect(expected.length).toBeGreaterThan(10);
		const { rows } = await crossSellSuggestions(t.db, { asOf: RANDOM, limit: 10_000 });
		expect(
			rows.map((r) => ({
				accountId: r.accountId,
				rank: r.rank,
				sku: r.sku,
				confidence: r.confidence,
				lift: r.lift,
				score: r.score,
				becauseSku: r.becauseSku
			}))
		).toEqual(expected);
		expect(rows.every((r) => !owned.get(r.accountId)!.has(r.sku))).toBe(true);
	});
});
