/**
 * One account as of a refresh: the page every list drills down to. Its state, health with the
 * components that explain it, segment and stage, LTV, alerts, latest NPS and cross-sell
 * suggestions. null when the account is unknown or outside the caller's scope (the page answers
 * 404 for both, so a URL does not tell whether an account exists).
 */
import type { Db } from '../sql/client.ts';
import { loadQuery, queryOne } from '../sql/query.ts';
import { accountAlerts, type AlertRow } from './alerts/read.ts';
import { crossSellSuggestions, type CrossSellRow } from './cross-sell/read.ts';
import { AnalyticsError } from './errors.ts';
import { num, str, type Raw } from './read.ts';
import { requireRefresh, type RefreshRef } from './refresh/state.ts';
import { accountFilterParams, type AccountScope } from './scope.ts';
import { accountNps, type AccountNpsRow } from './voc/nps.ts';

export interface AccountDetailOptions {
	readonly accountId: string;
	readonly scope: AccountScope;
	readonly asOf?: string;
}

/** Amounts are decimal strings; scores 0–100; null where there is no data. */
export interface AccountDetail {
	readonly refresh: RefreshRef;
	readonly account: {
		readonly accountId: string;
		readonly name: string;
		readonly segment: string;
		readonly region: string;
		readonly industry: string;
		readonly channel: string;
		readonly ownerEmail: string;
		readonly team: string;
		readonly managerEmail: string;
		readonly tier: string;
		readonly categories: string[];
		readonly firstActivity: string | null;
		readonly lastOrder: string | null;
		readonly ordersTotal: number;
		readonly revenueTotal: string;
		readonly orders12m: number;
		readonly revenue12m: string;
		readonly revenuePrev12m: string;
		readonly repurchaseRate: number;
		readonly subscriptionActive: boolean;
		readonly mrr: string;
		readonly subscriptionEnd: string | null;
		readonly active: boolean;
		readonly churned: boolean;
		readonly churnDay: string | null;
	};
	readonly health: {
		readonly score: number | null;
		readonly band: 'green' | 'yellow' | 'red' | 'none';
		/** Component scores; null = no data, left out of the score. */
		readonly components: Record<string, number | null>;
		/** The weights used after leaving out components without data. */
		readonly weights: Record<string, number>;
		readonly missing: string[];
	};
	readonly rfmSegment: string | null;
	readonly rfmScores: { r: number | null; f: number | null; m: number | null };
	readonly lifecycleStage: string | null;
	readonly ltv: {
		readonly pAlive: number | null;
		readonly predicted12m: number | null;
		readonly historical: string | null;
		readonly contractual: number | null;
		readonly nextOrderDue: string | null;
		readonly nextOrderOverdue: boolean;
	};
	readonly alerts: AlertRow[];
	readonly nps: AccountNpsRow | null;
	readonly crossSell: CrossSellRow[];
}

const COMPONENTS = [
	'recency',
	'spend',
	'usage',
	'support',
	'sentiment',
	'payment',
	'relationship'
] as const;

export async function accountDetail(
	db: Db,
	options: AccountDetailOptions
): Promise<AccountDetail | null> {
	if (!options.accountId.trim()) throw new AnalyticsError('Say which account: the id is empty.');
	const refresh = await requireRefresh(db, options.asOf);
	const r = await queryOne<Raw>(
		db,
		loadQuery('account-detail'),
		{
			refresh_id: refresh.refreshId,
			as_of: refresh.asOf,
			account_id: options.accountId,
			...accountFilterParams({}, options.scope)
		},
		{ tag: 'account:detail' }
	);
	if (!r) return null;
	const asOf = refresh.asOf;
	const [alerts, nps, crossSell] = [
		await accountAlerts(db, { accountId: options.accountId, scope: options.scope, asOf }),
		await accountNps(db, { asOf, accountIds: [options.accountId], scope: options.scope }),
		await crossSellSuggestions(db, {
			asOf,
			accountId: options.accountId,
			scope: options.scope,
			limit: 5
		})
	];
	return {
		refresh,
		account: {
			accountId: String(r.account_id),
			name: String(r.name),
			segment: String(r.segment),
			region: String(r.region),
			industry: String(r.industry),
			channel: String(r.channel),
			ownerEmail: String(r.owner_email),
			team: String(r.team),
			managerEmail: String(r.manager_email),
			tier: String(r.tier),
			categories: (r.categories as string[]) ?? [],
			firstActivity: str(r.first_activity),
			lastOrder: str(r.last_order),
			ordersTotal: Number(r.orders_total),
			revenueTotal: String(r.revenue_total),
			orders12m: Number(r.orders_12m),
			revenue12m: String(r.revenue_12m),
			revenuePrev12m: String(r.revenue_prev_12m),
			repurchaseRate: Number(r.repurchase_quarters) / 4,
			subscriptionActive: Number(r.subscription_active) === 1,
			mrr: String(r.mrr),
			subscriptionEnd: str(r.subscription_end),
			active: Number(r.active) === 1,
			churned: Number(r.churned) === 1,
			churnDay: str(r.churn_day)
		},
		health: {
			score: num(r.health_score),
			band: String(r.health_band) as AccountDetail['health']['band'],
			components: Object.fromEntries(COMPONENTS.map((c) => [c, num(r[`${c}_score`])])),
			weights: Object.fromEntries(
				Object.entries((r.health_weights as Record<string, unknown>) ?? {}).map(([k, v]) => [
					k,
					Number(v)
				])
			),
			missing: (r.health_missing as string[]) ?? []
		},
		rfmSegment: r.rfm_segment ? String(r.rfm_segment) : null,
		rfmScores: { r: num(r.r_score), f: num(r.f_score), m: num(r.m_score) },
		lifecycleStage: r.lifecycle_stage ? String(r.lifecycle_stage) : null,
		ltv: {
			pAlive: num(r.p_alive),
			predicted12m: num(r.ltv_12m_predicted),
			historical: r.ltv_historical === null ? null : str(r.ltv_historical),
			contractual: num(r.ltv_contractual),
			nextOrderDue: str(r.next_order_due),
			nextOrderOverdue: Number(r.next_order_overdue) === 1
		},
		alerts,
		nps: nps.rows[0] ?? null,
		crossSell: crossSell.rows
	};
}
