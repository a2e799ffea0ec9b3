import type { Dataset } from '../datasets.ts';
import { crossSellSuggestions, productAffinity } from './read.ts';

const PAGE = 100_000;

export const CROSS_SELL_DATASETS: readonly Dataset[] = [
	{
		name: 'cross-sell',
		description:
			'Cross-sell suggestions per account as of a refresh: products not bought yet with lift > 1 and confidence ≥ cross_sell_min_confidence, ranked by confidence × list price, with the product that suggests each.',
		columns: [
			'as_of',
			'account_id',
			'name',
			'rank',
			'sku',
			'product_name',
			'category',
			'confidence',
			'lift',
			'score',
			'because_sku'
		],
		async *run(db, opts) {
			for (let offset = 0; ; offset += PAGE) {
				const page = await crossSellSuggestions(db, {
					asOf: opts.asOf,
					filters: opts.filters,
					scope: opts.scope,
					limit: PAGE,
					offset
				});
				yield page.rows.map((r) => ({
					as_of: page.refresh.asOf,
					account_id: r.accountId,
					name: r.name,
					rank: r.rank,
					sku: r.sku,
					product_name: r.productName,
					category: r.category,
					confidence: r.confidence,
					lift: r.lift,
					score: r.score,
					because_sku: r.becauseSku
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	},
	{
		name: 'product-affinity',
		description:
			'Product affinity per account over the cross-sell lookback: for each pair A → B bought together, accounts with A, B and both, support, confidence and lift (recomputed for the filtered accounts when filters are given).',
		columns: [
			'as_of',
			'sku_a',
			'sku_b',
			'accounts_a',
			'accounts_b',
			'accounts_ab',
			'accounts_total',
			'support',
			'confidence',
			'lift'
		],
		async *run(db, opts) {
			for (let offset = 0; ; offset += PAGE) {
				const page = await productAffinity(db, {
					asOf: opts.asOf,
					filters: opts.filters,
					scope: opts.scope,
					limit: PAGE,
					offset
				});
				yield page.rows.map((r) => ({
					as_of: page.refresh.asOf,
					sku_a: r.skuA,
					sku_b: r.skuB,
					accounts_a: r.accountsA,
					accounts_b: r.accountsB,
					accounts_ab: r.accountsAB,
					accounts_total: r.accountsTotal,
					support: r.support,
					confidence: r.confidence,
					lift: r.lift
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	}
];
