/**
 * Refresh step "base": what every other step and query reads. Per account, its counted purchases
 * per day (account_days: the one read of orders), its products (account_products), its state as of D (account_snapshot: attributes, activity, revenue windows,
 * tier, churn) and its activity per month and week (account_periods).
 */
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import { command, loadQuery } from '../../sql/query.ts';
import type { RefreshContext } from './context.ts';

export async function refreshBase(ctx: RefreshContext): Promise<void> {
	const { db, settings } = ctx;
	const common = {
		refresh_id: ctx.refreshId,
		as_of: ctx.asOf,
		tz: ctx.tz,
		statuses: [...REVENUE_STATUSES],
		currency: ctx.currency,
		business_model: settings.businessModel
	};
	await ctx.step('base:days', () =>
		command(db, loadQuery('refresh-account-days'), common, { tag: 'refresh:days' })
	);
	await ctx.step('base:products', () =>
		command(db, loadQuery('refresh-account-products'), common, {
			tag: 'refresh:products',
			// Both sides are large at scale (every order line against every order): a sort-merge
			// join spills to disk instead of holding the orders in a hash table.
			settings: { join_algorithm: 'full_sorting_merge' }
		})
	);
	await ctx.step('base:snapshot', () =>
		command(
			db,
			loadQuery('refresh-account-snapshot'),
			{
				...common,
				churn_days: settings.churnInactivityDays,
				grace_days: settings.renewalGraceDays,
				tier_a_revenue: settings.tierARevenue,
				tier_a_repurchase: settings.tierARepurchase,
				tier_b_revenue: settings.tierBRevenue,
				tier_b_repurchase: settings.tierBRepurchase
			},
			{ tag: 'refresh:snapshot' }
		)
	);
	for (const grain of ['month', 'week'] as const) {
		await ctx.step(`base:periods-${grain}`, () =>
			command(
				db,
				loadQuery('refresh-account-periods'),
				{ ...common, grain },
				{
					tag: `refresh:periods-${grain}`
				}
			)
		);
	}
}
