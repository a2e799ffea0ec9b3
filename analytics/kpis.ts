/**
 * The executive KPI set and the at-risk worklist of a refresh: the numbers on the dashboard's
 * first row and the CSM's list of accounts to act on, both filtered and scoped like every view.
 */
import type { Db } from '../sql/client.ts';
import { loadQuery, queryOne, queryRows } from '../sql/query.ts';
import type { Dataset } from './datasets.ts';
import { checkPage, num, type Raw } from './read.ts';
import { tenantSettings } from './config.ts';
import { requireRefresh, type RefreshRef } from './refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from './scope.ts';

export interface KpiOptions {
	readonly asOf?: string;
	readonly filters?: AccountFilters;
	readonly scope?: AccountScope;
}

/** The KPI set (definitions in sql/queries/kpis.sql). Amounts are decimal strings. */
export interface Kpis {
	readonly refresh: RefreshRef;
	readonly accounts: number;
	readonly active: number;
	readonly newThisMonth: number;
	readonly churned90d: number;
	readonly revenue12m: string;
	readonly revenuePrev12m: string;
	readonly nrr: number | null;
	readonly grr: number | null;
	readonly tiers: { readonly A: number; readonly B: number; readonly C: number };
	readonly health: {
		readonly green: number;
		readonly yellow: number;
		readonly red: number;
		readonly none: number;
	};
	/** NPS over the last 12 months; null without responses. */
	readonly nps: number | null;
	readonly npsResponses: number;
	readonly criticalAccounts: number;
	readonly atRisk: number;
	readonly atRiskRevenue12m: string;
}

export async function kpis(db: Db, options: KpiOptions = {}): Promise<Kpis> {
	const refresh = await requireRefresh(db, options.asOf);
	const r = await queryOne<Raw>(
		db,
		loadQuery('kpis'),
		{
			refresh_id: refresh.refreshId,
			as_of: refresh.asOf,
			risk_threshold: (await tenantSettings(db)).riskThreshold,
			...accountFilterParams(options.filters, options.scope)
		},
		{ tag: 'kpis' }
	);
	if (!r) throw new Error('kpis: the KPI query returned no row');
	return {
		refresh,
		accounts: Number(r.accounts),
		active: Number(r.active),
		newThisMonth: Number(r.new_this_month),
		churned90d: Number(r.churned_90d),
		revenue12m: String(r.revenue_12m),
		revenuePrev12m: String(r.revenue_prev_12m),
		nrr: num(r.nrr),
		grr: num(r.grr),
		tiers: { A: Number(r.tier_a), B: Number(r.tier_b), C: Number(r.tier_c) },
		health: {
			green: Number(r.health_green),
			yellow: Number(r.health_yellow),
			red: Number(r.health_red),
			none: Number(r.health_none)
		},
		nps: num(r.nps),
		npsResponses: Number(r.nps_n),
		criticalAccounts: Number(r.critical_accounts),
		atRisk: Number(r.at_risk),
		atRiskRevenue12m: String(r.at_risk_revenue_12m)
	};
}

export interface WorklistOptions extends KpiOptions {
	/** Default 50, at most 10,000. */
	readonly limit?: number;
	readonly offset?: number;
}

/** An at-risk account: why it is on the list (health band, open alerts) and what is at stake. */
export interface WorklistRow {
	readonly accountId: string;
	readonly name: string;
	readonly segment: string;
	readonly tier: string;
	readonly ownerEmail: string;
	readonly team: string;
	/** Decimal string. */
	readonly revenue12m: string;
	readonly lastOrder: string | null;
	readonly healthScore: number | null;
	readonly healthBand: 'green' | 'yellow' | 'red' | 'none';
	/** From the latest `tenure score` of the date; null when the account has no score. */
	readonly churnProbability: number | null;
	/** churnProbability × revenue12m, in the refresh's currency; null without a score. */
	readonly valueAtRisk: number | null;
	readonly criticalAlerts: number;
	readonly openAlerts: number;
	/** Signal keys of the open alerts. */
	readonly signals: string[];
}

export interface WorklistPage {
	readonly refresh: RefreshRef;
	readonly total: number;
	readonly rows: WorklistRow[];
}

export async function worklist(db: Db, options: WorklistOptions = {}): Promise<WorklistPage> {
	const { limit, offset } = checkPage(options.limit, options.offset, { fallback: 50, max: 10_000 });
	const refresh = await requireRefresh(db, options.asOf);
	const critical = await queryRows<{ account_id: string }>(
		db,
		loadQuery('worklist-critical'),
		{ as_of: refresh.asOf },
		{ tag: 'worklist:critical' }
	);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('worklist-page'),
		{
			refresh_id: refresh.refreshId,
			as_of: refresh.asOf,
			critical: critical.map((r) => r.account_id),
			risk_threshold: (await tenantSettings(db)).riskThreshold,
			...accountFilterParams(options.filters, options.scope),
			limit,
			offset
		},
		{ tag: 'worklist:page' }
	);
	const alerts = new Map(
		(
			await queryRows<Raw>(
				db,
				loadQuery('worklist-alerts'),
				{ as_of: refresh.asOf, account_ids: rows.map((r) => String(r.account_id)) },
				{ tag: 'worklist:alerts' }
			)
		).map((a) => [String(a.account_id), a])
	);
	return {
		refresh,
		total: rows.length ? Number(rows[0]!.total) : 0,
		rows: rows.map((r) => {
			const a = alerts.get(String(r.account_id));
			return {
				accountId: String(r.account_id),
				name: String(r.name),
				segment: String(r.segment),
				tier: String(r.tier),
				ownerEmail: String(r.owner_email),
				team: String(r.team),
				revenue12m: String(r.revenue_12m),
				lastOrder: r.last_order === null ? null : String(r.last_order),
				healthScore: num(r.health_score),
				healthBand: String(r.health_band) as WorklistRow['healthBand'],
				churnProbability: num(r.churn_probability),
				valueAtRisk: num(r.value_at_risk),
				criticalAlerts: Number(a?.critical_alerts ?? 0),
				openAlerts: Number(a?.open_alerts ?? 0),
				signals: (a?.signals as string[] | undefined) ?? []
			};
		})
	};
}

const KPI_COLUMNS = [
	'as_of',
	'accounts',
	'active',
	'new_this_month',
	'churned_90d',
	'revenue_12m',
	'revenue_prev_12m',
	'nrr',
	'grr',
	'tier_a',
	'tier_b',
	'tier_c',
	'health_green',
	'health_yellow',
	'health_red',
	'health_none',
	'nps',
	'nps_responses',
	'critical_accounts',
	'at_risk',
	'at_risk_revenue_12m'
] as const;

export const KPI_DATASETS: readonly Dataset[] = [
	{
		name: 'kpis',
		description:
			'The executive KPI set of a refresh, one row: accounts, active, new this month, churned in 90 days, trailing-12-month revenue, NRR, GRR, tiers, health bands, 12-month NPS, at-risk accounts.',
		columns: KPI_COLUMNS,
		async *run(db, opts) {
			const k = await kpis(db, opts);
			yield [
				{
					as_of: k.refresh.asOf,
					accounts: k.accounts,
					active: k.active,
					new_this_month: k.newThisMonth,
					churned_90d: k.churned90d,
					revenue_12m: k.revenue12m,
					revenue_prev_12m: k.revenuePrev12m,
					nrr: k.nrr,
					grr: k.grr,
					tier_a: k.tiers.A,
					tier_b: k.tiers.B,
					tier_c: k.tiers.C,
					health_green: k.health.green,
					health_yellow: k.health.yellow,
					health_red: k.health.red,
					health_none: k.health.none,
					nps: k.nps,
					nps_responses: k.npsResponses,
					critical_accounts: k.criticalAccounts,
					at_risk: k.atRisk,
					at_risk_revenue_12m: k.atRiskRevenue12m
				} satisfies Record<(typeof KPI_COLUMNS)[number], unknown>
			];
		}
	},
	{
		name: 'worklist',
		description:
			'At-risk accounts (health red, an open critical alert, or a churn probability at or above risk_threshold) by value at risk (probability × trailing-12-month revenue), with health, open alerts and owner: the CSM worklist.',
		columns: [
			'as_of',
			'account_id',
			'name',
			'segment',
			'tier',
			'owner_email',
			'team',
			'revenue_12m',
			'last_order',
			'health_score',
			'health_band',
			'churn_probability',
			'value_at_risk',
			'critical_alerts',
			'open_alerts',
			'signals'
		],
		async *run(db, opts) {
			const page = 10_000;
			for (let offset = 0; ; offset += page) {
				const p = await worklist(db, { ...opts, limit: page, offset });
				yield p.rows.map((r) => ({
					as_of: p.refresh.asOf,
					account_id: r.accountId,
					name: r.name,
					segment: r.segment,
					tier: r.tier,
					owner_email: r.ownerEmail,
					team: r.team,
					revenue_12m: r.revenue12m,
					last_order: r.lastOrder,
					health_score: r.healthScore,
					health_band: r.healthBand,
					churn_probability: r.churnProbability,
					value_at_risk: r.valueAtRisk,
					critical_alerts: r.criticalAlerts,
					open_alerts: r.openAlerts,
					signals: r.signals.join(' ')
				}));
				if (p.rows.length < page) return;
			}
		}
	}
];
