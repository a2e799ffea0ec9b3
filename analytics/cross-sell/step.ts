/**
 * Refresh step "cross-sell": product affinity over the accounts' purchases in the lookback
 * (product_affinity) and each account's best suggestions (cross_sell_suggestions), both per
 * refresh. The affinity statement is the same text productAffinity runs for filtered reads
 * (sql/queries/cross-sell-affinity.sql), inserted here with every filter empty.
 */
import { command, loadQuery } from '../../sql/query.ts';
import type { RefreshStep } from '../refresh/context.ts';
import { accountFilterParams } from '../scope.ts';

/** Suggestions kept per account. */
export const CROSS_SELL_TOP = 5;

export const crossSellStep: RefreshStep = {
	name: 'cross-sell',
	tables: ['product_affinity', 'cross_sell_suggestions'],
	async run(ctx) {
		const { db, settings } = ctx;
		const common = {
			refresh_id: ctx.refreshId,
			as_of: ctx.asOf,
			lookback_days: settings.crossSellLookbackDays
		};
		await ctx.step('cross-sell:affinity', () =>
			command(
				db,
				`INSERT INTO product_affinity ${loadQuery('cross-sell-affinity')}`,
				{
					...common,
					...accountFilterParams(),
					min_lift: 0,
					min_support: 0,
					limit: Number.MAX_SAFE_INTEGER,
					offset: 0
				},
				{ tag: 'refresh:cross-sell-affinity' }
			)
		);
		await ctx.step('cross-sell:suggestions', () =>
			command(
				db,
				loadQuery('cross-sell-refresh-suggestions'),
				{ ...common, min_confidence: settings.crossSellMinConfidence, top: CROSS_SELL_TOP },
				{ tag: 'refresh:cross-sell-suggestions' }
			)
		);
	}
};
