/**
 * The account list: every CRM account with its state as of a refresh (activity, revenue, tier,
 * churn), filtered, scoped, searched and paged — the portal's account browser, the CSM's "my
 * accounts" and `tenure export accounts`.
 */
import type { Db } from '../sql/client.ts';
import { loadQuery, queryRows } from '../sql/query.ts';
import type { Dataset } from './datasets.ts';
import { checkPage, oneOf, optionalOneOf, str, type Raw } from './read.ts';
import { requireRefresh, type RefreshRef } from './refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from './scope.ts';

export const ACCOUNT_SORTS = [
	'revenue_12m',
	'revenue_total',
	'orders_12m',
	'name',
	'account_id'
] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];
export const ACCOUNT_STATUSES = ['active', 'churned', 'potential'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface AccountListOptions {
	readonly asOf?: string;
	readonly filters?: AccountFilters;
	readonly scope?: AccountScope;
	/** Substring of the id or name, case-insensitive. */
	readonly search?: string;
	readonly status?: AccountStatus;
	/** Default revenue_12m (descending; name and account_id ascending). */
	readonly sort?: AccountSort;
	/** Default 50, at most 100,000. */
	readonly limit?: number;
	readonly offset?: number;
}

/** An account as of the refresh. Amounts are decimal strings in the refresh's currency. */
export interface AccountRow {
	readonly accountId: string;
	readonly name: string;
	readonly segment: string;
	readonly region: string;
	readonly industry: string;
	readonly channel: string;
	readonly ownerEmail: string;
	readonly team: string;
	readonly tier: 'A' | 'B' | 'C';
	readonly firstActivity: string | null;
	readonly lastOrder: string | null;
	readonly ordersTotal: number;
	readonly revenueTotal: string;
	readonly orders12m: number;
	readonly revenue12m: string;
	readonly revenuePrev12m: string;
	/** Share of the last 4 quarters with an order (0–1). */
	readonly repurchaseRate: number;
	readonly hasSubscription: boolean;
	readonly subscriptionActive: boolean;
	readonly mrr: string;
	readonly active: boolean;
	readonly churned: boolean;
	readonly churnDay: string | null;
}

export interface AccountPage {
	readonly refresh: RefreshRef;
	readonly total: number;
	readonly rows: AccountRow[];
}

export async function accountList(db: Db, options: AccountListOptions = {}): Promise<AccountPage> {
	const sort = oneOf(options.sort ?? 'revenue_12m', ACCOUNT_SORTS, 'sort');
	const status = optionalOneOf(options.status, ACCOUNT_STATUSES, 'status');
	const { limit, offset } = checkPage(options.limit, options.offset, { fallback: 50 });
	const refresh = await requireRefresh(db, options.asOf);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('accounts-page'),
		{
			refresh_id: refresh.refreshId,
			...accountFilterParams(options.filters, options.scope),
			search: options.search?.trim() ?? '',
			status,
			sort,
			limit,
			offset
		},
		{ tag: 'accounts:page' }
	);
	return {
		refresh,
		total: rows.length ? Number(rows[0]!.total) : 0,
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			name: String(r.name),
			segment: String(r.segment),
			region: String(r.region),
			industry: String(r.industry),
			channel: String(r.acquisition_channel),
			ownerEmail: String(r.owner_email),
			team: String(r.team),
			tier: String(r.tier) as AccountRow['tier'],
			firstActivity: str(r.first_activity),
			lastOrder: str(r.last_order),
			ordersTotal: Number(r.orders_total),
			revenueTotal: String(r.revenue_total),
			orders12m: Number(r.orders_12m),
			revenue12m: String(r.revenue_12m),
			revenuePrev12m: String(r.revenue_prev_12m),
			repurchaseRate: Number(r.repurchase_quarters) / 4,
			hasSubscription: Number(r.has_subscription) === 1,
			subscriptionActive: Number(r.subscription_active) === 1,
			mrr: String(r.mrr),
			active: Number(r.active) === 1,
			churned: Number(r.churned) === 1,
			churnDay: str(r.churn_day)
		}))
	};
}

const PAGE = 100_000;

export const ACCOUNT_DATASETS: readonly Dataset[] = [
	{
		name: 'accounts',
		description:
			'Every account as of a refresh: attributes, owner and team, activity, revenue windows, tier, subscription and churn status.',
		columns: [
			'as_of',
			'account_id',
			'name',
			'segment',
			'region',
			'industry',
			'channel',
			'owner_email',
			'team',
			'tier',
			'first_activity',
			'last_order',
			'orders_total',
			'revenue_total',
			'orders_12m',
			'revenue_12m',
			'revenue_prev_12m',
			'repurchase_rate',
			'subscription_active',
			'mrr',
			'active',
			'churned',
			'churn_day'
		],
		options: {
			status: {
				description: 'only active, churned or potential (never active) accounts',
				values: ['any', ...ACCOUNT_STATUSES],
				fallback: 'any'
			}
		},
		async *run(db, opts) {
			const status = opts.options?.status;
			for (let offset = 0; ; offset += PAGE) {
				const page = await accountList(db, {
					asOf: opts.asOf,
					filters: opts.filters,
					scope: opts.scope,
					status: status && status !== 'any' ? (status as AccountStatus) : undefined,
					sort: 'account_id',
					limit: PAGE,
					offset
				});
				yield page.rows.map((r) => ({
					as_of: page.refresh.asOf,
					account_id: r.accountId,
					name: r.name,
					segment: r.segment,
					region: r.region,
					industry: r.industry,
					channel: r.channel,
					owner_email: r.ownerEmail,
					team: r.team,
					tier: r.tier,
					first_activity: r.firstActivity,
					last_order: r.lastOrder,
					orders_total: r.ordersTotal,
					revenue_total: r.revenueTotal,
					orders_12m: r.orders12m,
					revenue_12m: r.revenue12m,
					revenue_prev_12m: r.revenuePrev12m,
					repurchase_rate: r.repurchaseRate,
					subscription_active: r.subscriptionActive ? 1 : 0,
					mrr: r.mrr,
					active: r.active ? 1 : 0,
					churned: r.churned ? 1 : 0,
					churn_day: r.churnDay
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	}
];
