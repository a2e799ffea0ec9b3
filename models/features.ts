/**
 * The churn model's features (models/README.md, "Features"): their names, definitions and driver
 * sentences, and `computeFeatures`, which runs sql/queries/churn-features.sql — the one statement
 * that both the training snapshots and the scoring read, so training and serving never differ.
 * Values are raw: NULL (null) where there is no data; the preprocessing adds the missing indicators,
 * fills and scaling.
 */
import { REVENUE_STATUSES } from '../ingest/entities.ts';
import { PRIORITIES, tenantSettings, type AnalyticsSettings } from '../analytics/config.ts';
import { checkDay } from '../analytics/health/dates.ts';
import { resolveCurrency } from '../analytics/ltv/inputs.ts';
import type { Db } from '../sql/client.ts';
import { loadQuery, queryColumns } from '../sql/query.ts';

export type FeatureKind = 'numeric' | 'categorical';

export interface FeatureSpec {
	readonly name: string;
	readonly kind: FeatureKind;
	readonly description: { readonly en: string; readonly zh: string };
	/**
	 * A short sentence on the feature as a churn driver, from the account's value and the training
	 * mean. For a categorical feature the preprocessing passes its one-hot column: value 1 (the
	 * account is in the category) or 0, and the category's share of the training accounts.
	 */
	readonly driver: {
		readonly en: (value: number, typical: number) => string;
		readonly zh: (value: number, typical: number) => string;
	};
	/** Categorical features: what the category is called ("segment" / "客户分层"). */
	readonly label?: { readonly en: string; readonly zh: string };
}

const en = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const zh = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
const enPct = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });
const zhPct = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 0 });

/** A count or amount in a window: "5 tickets in 90 days (usual 1.2)". */
function amount<N extends string>(
	name: N,
	kind: { en: string; zh: string },
	description: { en: string; zh: string }
): FeatureSpec & { readonly name: N } {
	return {
		name,
		kind: 'numeric',
		description,
		driver: {
			en: (v, t) => `${kind.en.replace('#', en.format(v))} (usual ${en.format(t)})`,
			zh: (v, t) => `${kind.zh.replace('#', zh.format(v))}（通常 ${zh.format(t)}）`
		}
	};
}

/** A ratio of a window to the one before: "revenue at 45% of the previous 90 days (usual 98%)". */
function trend<N extends string>(
	name: N,
	what: { en: string; zh: string; window: string; zhWindow: string },
	description: { en: string; zh: string }
): FeatureSpec & { readonly name: N } {
	return {
		name,
		kind: 'numeric',
		description,
		driver: {
			en: (v, t) =>
				`${what.en} at ${enPct.format(v)} of the previous ${what.window} (usual ${enPct.format(t)})`,
			zh: (v, t) => `${what.zh}为前${what.zhWindow}的 ${zhPct.format(v)}（通常 ${zhPct.format(t)}）`
		}
	};
}

/** A categorical feature; its driver reads the one-hot column of the account's category. */
function category<N extends string>(
	name: N,
	label: { en: string; zh: string },
	description: { en: string; zh: string }
): FeatureSpec & { readonly name: N } {
	return {
		name,
		kind: 'categorical',
		description,
		label,
		driver: {
			en: (v, t) =>
				v >= 0.5
					? `in this ${label.en} (shared by ${enPct.format(t)} of accounts)`
					: `not in this ${label.en} (which ${enPct.format(t)} of accounts are in)`,
			zh: (v, t) =>
				v >= 0.5
					? `属于该${label.zh}（占客户的 ${zhPct.format(t)}）`
					: `不属于该${label.zh}（该${label.zh}占客户的 ${zhPct.format(t)}）`
		}
	};
}

/** Every feature, in the column order of churn-features.sql. */
export const FEATURES = [
	amount(
		'days_since_order',
		{ en: '# days since the last order', zh: '距上次下单 # 天' },
		{
			en: 'Days from the last counted order (paid/shipped/completed, reporting currency) to the as-of date; empty without any order.',
			zh: '从最近一笔计入订单（已付款/已发货/已完成，报告币种）到评估日的天数；从未下单则为空。'
		}
	),
	amount(
		'median_gap_days',
		{ en: 'orders usually # days apart', zh: '通常每 # 天下单一次' },
		{
			en: "The account's typical interval: the median number of days between consecutive purchase days; empty with fewer than two purchase days.",
			zh: '客户自身的典型下单间隔：相邻两个下单日之间天数的中位数；少于两个下单日则为空。'
		}
	),
	{
		name: 'recency_ratio',
		kind: 'numeric',
		description: {
			en: "Days since the last order ÷ the account's typical interval (median gap); above 1 means the next order is overdue. Empty with fewer than two purchase days.",
			zh: '距上次下单天数 ÷ 客户自身的典型下单间隔（中位数）；大于 1 表示下一单已逾期。少于两个下单日则为空。'
		},
		driver: {
			en: (v, t) =>
				v > 1
					? `orders ${en.format(v)}× further apart than usual`
					: `next order not yet due (${en.format(v)}× the usual interval; typical ${en.format(t)}×)`,
			zh: (v, t) =>
				v > 1
					? `订单间隔比平时长 ${zh.format(v)} 倍`
					: `尚未到下次下单时间（平时间隔的 ${zh.format(v)} 倍，通常 ${zh.format(t)} 倍）`
		}
	},
	amount(
		'orders_90d',
		{ en: '# orders in 90 days', zh: '90 天内 # 笔订单' },
		{
			en: 'Counted orders in the 90 days up to the as-of date.',
			zh: '评估日前 90 天内的计入订单数。'
		}
	),
	amount(
		'orders_12m',
		{ en: '# orders in 12 months', zh: '12 个月内 # 笔订单' },
		{
			en: 'Counted orders in the 12 months up to the as-of date.',
			zh: '评估日前 12 个月内的计入订单数。'
		}
	),
	trend(
		'order_trend_90d',
		{ en: 'orders', zh: '订单数', window: '90 days', zhWindow: ' 90 天' },
		{
			en: 'Orders in the last 90 days ÷ orders in the 90 days before; empty when the earlier window had none.',
			zh: '近 90 天订单数 ÷ 再前 90 天订单数；前一窗口没有订单则为空。'
		}
	),
	amount(
		'revenue_90d',
		{ en: 'revenue of # in 90 days', zh: '90 天收入 #' },
		{
			en: 'Revenue (net amounts of counted orders, reporting currency) in the last 90 days.',
			zh: '近 90 天收入（计入订单的净额，报告币种）。'
		}
	),
	amount(
		'revenue_12m',
		{ en: 'revenue of # in 12 months', zh: '12 个月收入 #' },
		{
			en: 'Revenue in the last 12 months (the tier rule’s trailing-12-month revenue).',
			zh: '近 12 个月收入（即客户等级规则中的近 12 个月收入）。'
		}
	),
	trend(
		'revenue_trend_90d',
		{ en: 'revenue', zh: '收入', window: '90 days', zhWindow: ' 90 天' },
		{
			en: 'Revenue of the last 90 days ÷ the 90 days before; empty when the earlier window had none.',
			zh: '近 90 天收入 ÷ 再前 90 天收入；前一窗口无收入则为空。'
		}
	),
	trend(
		'revenue_trend_180d',
		{ en: 'revenue', zh: '收入', window: '180 days', zhWindow: ' 180 天' },
		{
			en: 'Revenue of the last 180 days ÷ the 180 days before; empty when the earlier window had none.',
			zh: '近 180 天收入 ÷ 再前 180 天收入；前一窗口无收入则为空。'
		}
	),
	trend(
		'revenue_trend_12m',
		{ en: 'revenue', zh: '收入', window: '12 months', zhWindow: ' 12 个月' },
		{
			en: 'Revenue of the last 12 months ÷ the 12 months before; empty when the earlier window had none.',
			zh: '近 12 个月收入 ÷ 再前 12 个月收入；前一窗口无收入则为空。'
		}
	),
	amount(
		'tenure_days',
		{ en: 'customer for # days', zh: '合作 # 天' },
		{
			en: 'Days since the first activity that counts under the business model (first counted order or subscription start).',
			zh: '自首次计入活动（按业务模式：首笔计入订单或首个订阅开始）至评估日的天数。'
		}
	),
	{
		name: 'subscription_active',
		kind: 'numeric',
		description: {
			en: '1 when a subscription runs on the as-of date (started by then, no end or ending on or after it), else 0.',
			zh: '评估日有生效中的订阅（已开始且未结束或结束日不早于评估日）为 1，否则为 0。'
		},
		driver: {
			en: (v, t) =>
				v >= 0.5
					? `subscription running (${enPct.format(t)} of accounts have one)`
					: `no running subscription (${enPct.format(t)} of accounts have one)`,
			zh: (v, t) =>
				v >= 0.5
					? `订阅生效中（${zhPct.format(t)} 的客户有订阅）`
					: `没有生效中的订阅（${zhPct.format(t)} 的客户有订阅）`
		}
	},
	amount(
		'days_to_renewal',
		{ en: 'renewal due in # days', zh: '# 天后到期续约' },
		{
			en: 'Days from the as-of date to the nearest end date of a running subscription; empty without one that has an end date.',
			zh: '评估日到生效中订阅最近到期日的天数；没有带到期日的生效订阅则为空。'
		}
	),
	amount(
		'mrr',
		{ en: 'monthly recurring revenue of #', zh: '月经常性收入 #' },
		{
			en: 'Monthly recurring revenue of the subscriptions running on the as-of date, reporting currency.',
			zh: '评估日生效订阅的月经常性收入（报告币种）。'
		}
	),
	amount(
		'usage_events_90d',
		{ en: '# key usage events in 90 days', zh: '90 天内 # 次关键使用' },
		{
			en: 'Key events in daily usage over the last 90 days; empty when the account has no usage row in the last 180 days.',
			zh: '近 90 天每日使用数据中的关键事件数；近 180 天没有使用数据则为空。'
		}
	),
	trend(
		'usage_trend_90d',
		{ en: 'usage', zh: '使用量', window: '90 days', zhWindow: ' 90 天' },
		{
			en: 'Key usage events of the last 90 days ÷ the 90 days before; empty without usage data or without events in the earlier window.',
			zh: '近 90 天关键使用事件 ÷ 再前 90 天；无使用数据或前一窗口无事件则为空。'
		}
	),
	amount(
		'tickets_90d',
		{ en: '# tickets in 90 days', zh: '90 天内 # 张工单' },
		{
			en: 'Support tickets created in the last 90 days.',
			zh: '近 90 天创建的工单数。'
		}
	),
	amount(
		'sla_breaches_90d',
		{ en: '# SLA breaches in 90 days', zh: '90 天内 # 次 SLA 超时' },
		{
			en: "Tickets of the last 90 days whose first response or resolution came later than the priority's target (or had not come by the end of the as-of date after the target passed).",
			zh: '近 90 天的工单中，首次响应或解决晚于该优先级目标时长（或评估日结束时已超时仍未响应/解决）的数量。'
		}
	),
	amount(
		'complaints_90d',
		{ en: '# complaints in 90 days', zh: '90 天内 # 次投诉' },
		{
			en: 'Tickets of type complaint created in the last 90 days.',
			zh: '近 90 天创建的投诉类工单数。'
		}
	),
	{
		name: 'csat_90d',
		kind: 'numeric',
		driver: {
			en: (v, t) => `${enPct.format(v)} of ticket ratings satisfied (usual ${enPct.format(t)})`,
			zh: (v, t) => `工单满意率 ${zhPct.format(v)}（通常 ${zhPct.format(t)}）`
		},
		description: {
			en: 'Share of the last 90 days’ ticket ratings that are 4–5 (of 5); empty without ratings.',
			zh: '近 90 天工单评分中 4–5 分（满分 5）的占比；无评分则为空。'
		}
	},
	amount(
		'nps_latest',
		{ en: 'latest NPS score #', zh: '最近一次 NPS 评分 #' },
		{
			en: 'The latest NPS response (0–10) in the last 12 months; empty without one.',
			zh: '近 12 个月最近一次 NPS 评分（0–10）；没有则为空。'
		}
	),
	amount(
		'sentiment_mean_90d',
		{ en: 'ticket sentiment # on a −1…1 scale', zh: '工单情绪 #（−1 至 1）' },
		{
			en: 'Mean sentiment score (−1 to 1) of the last 90 days’ tickets that have one; empty without any.',
			zh: '近 90 天带情绪分的工单的平均情绪分（−1 至 1）；没有则为空。'
		}
	),
	amount(
		'max_days_late',
		{ en: 'paid up to # days late', zh: '付款最多逾期 # 天' },
		{
			en: 'The most days late of the invoices (not void) issued by the as-of date that were due in the last 365 days or are still unsettled: last payment day (through the as-of date) − due date, or as-of date − due date when unsettled; empty without such invoices.',
			zh: '评估日前开具（非作废）、近 365 天到期或仍未结清的发票中最大的逾期天数：已结清为最后付款日 − 到期日，未结清为评估日 − 到期日；没有此类发票则为空。'
		}
	),
	amount(
		'overdue_invoices',
		{ en: '# overdue invoices', zh: '# 张逾期发票' },
		{
			en: 'Invoices past their due date and not settled on the as-of date.',
			zh: '评估日已过到期日且未结清的发票数。'
		}
	),
	amount(
		'days_since_touch',
		{ en: 'owner last in touch # days ago', zh: '负责人 # 天未联系' },
		{
			en: "Days since the account owner's last logged activity with the account; empty without an owner or when the owner has none.",
			zh: '客户负责人最近一次跟进记录距评估日的天数；无负责人或负责人从未跟进则为空。'
		}
	),
	amount(
		'activities_90d',
		{ en: '# activities in 90 days', zh: '90 天内 # 次跟进' },
		{
			en: 'Logged activities (calls, meetings, e-mails) with the account in the last 90 days, by anyone.',
			zh: '近 90 天与该客户的跟进记录数（电话、会议、邮件等，任何人）。'
		}
	),
	amount(
		'other_owners_12m',
		{ en: '# other people handled the account in 12 months', zh: '12 个月内有 # 位其他人员跟进' },
		{
			en: 'People other than the current owner who logged activities with the account in the last 12 months: a proxy for owner changes (accounts keep only the current owner).',
			zh: '近 12 个月除当前负责人外记录过跟进的人数：负责人变更的近似指标（客户只保存当前负责人）。'
		}
	),
	amount(
		'products_12m',
		{ en: 'bought # products in 12 months', zh: '12 个月内购买 # 种产品' },
		{
			en: 'Product breadth: distinct SKUs on the counted orders of the last 12 months.',
			zh: '产品广度：近 12 个月计入订单中的不同 SKU 数。'
		}
	),
	category(
		'tier',
		{ en: 'tier', zh: '客户等级' },
		{
			en: 'Tier A/B/C as of the date from the 12-month revenue and the repurchase rate (quarters of the last 4 with an order), with the tenant’s tier settings.',
			zh: '评估日的客户等级 A/B/C：按近 12 个月收入与复购率（近 4 个季度中有订单的季度占比）及租户的等级设置计算。'
		}
	),
	category(
		'segment',
		{ en: 'segment', zh: '客户细分' },
		{ en: "The account's segment (CRM).", zh: '客户细分（CRM）。' }
	),
	category(
		'industry',
		{ en: 'industry', zh: '行业' },
		{ en: "The account's industry (CRM).", zh: '客户所属行业（CRM）。' }
	),
	category(
		'region',
		{ en: 'region', zh: '地区' },
		{ en: "The account's region (CRM).", zh: '客户所属地区（CRM）。' }
	)
] as const satisfies readonly FeatureSpec[];

export type FeatureName = (typeof FEATURES)[number]['name'];
export type FeatureValue = number | string | null;
export type FeatureColumns = Record<FeatureName, FeatureValue[]>;

export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((f) => f.name);

export interface FeatureMatrix {
	/** Accounts active on the as-of date, in account id order. */
	readonly accountIds: string[];
	/** One array per feature, aligned with accountIds. */
	readonly columns: FeatureColumns;
}

export interface FeatureOptions {
	/** YYYY-MM-DD: data through this local day (TENURE_TZ). */
	readonly asOf: string;
	/** Reporting currency; default the tenant's (or the one currency in the data). */
	readonly currency?: string;
	readonly settings?: AnalyticsSettings;
	readonly signal?: AbortSignal;
}

/** Parameters of churn-features.sql. */
export function churnFeatureParams(input: {
	readonly asOf: string;
	readonly tz: string;
	readonly currency: string;
	readonly settings: AnalyticsSettings;
}): Record<string, unknown> {
	const { settings } = input;
	return {
		as_of: input.asOf,
		tz: input.tz,
		currency: input.currency,
		statuses: [...REVENUE_STATUSES],
		business_model: settings.businessModel,
		churn_days: settings.churnInactivityDays,
		grace_days: settings.renewalGraceDays,
		tier_a_revenue: settings.tierARevenue,
		tier_a_repurchase: settings.tierARepurchase,
		tier_b_revenue: settings.tierBRevenue,
		tier_b_repurchase: settings.tierBRepurchase,
		sla_priorities: [...PRIORITIES],
		sla_first_hours: PRIORITIES.map((p) => settings.slaFirstResponseHours[p]),
		sla_resolution_hours: PRIORITIES.map((p) => settings.slaResolutionHours[p]),
		sla_first_default: settings.slaFirstResponseHours.normal,
		sla_resolution_default: settings.slaResolutionHours.normal
	};
}

/** The reporting currency of a date: the given one, the tenant's, or the one in the data (null: no data). */
export async function featureCurrency(
	db: Db,
	asOf: string,
	settings: AnalyticsSettings,
	currency?: string
): Promise<string | null> {
	return currency ?? (await resolveCurrency(db, asOf, db.timezone, settings));
}

function emptyColumns(): FeatureColumns {
	return Object.fromEntries(FEATURE_NAMES.map((n) => [n, []])) as unknown as FeatureColumns;
}

/**
 * The raw features of every account active on `asOf` (churn-features.sql), computed from the core
 * tables with data through that local day only.
 */
export async function computeFeatures(db: Db, opts: FeatureOptions): Promise<FeatureMatrix> {
	const asOf = checkDay(opts.asOf, 'The feature date');
	const settings = opts.settings ?? (await tenantSettings(db));
	const currency = await featureCurrency(db, asOf, settings, opts.currency);
	if (currency === null) return { accountIds: [], columns: emptyColumns() };
	const { columns } = await queryColumns<Record<string, FeatureValue>>(
		db,
		loadQuery('churn-features'),
		churnFeatureParams({ asOf, tz: db.timezone, currency, settings }),
		{ tag: 'models:churn-features', signal: opts.signal }
	);
	const out = emptyColumns();
	for (const f of FEATURES) {
		const raw = columns[f.name];
		if (!raw) throw new Error(`churn-features.sql returned no column ${f.name}`);
		out[f.name] =
			f.kind === 'numeric'
				? raw.map((v) => {
						if (v === null) return null;
						const n = Number(v);
						return Number.isFinite(n) ? n : null;
					})
				: raw.map((v) => (v === null ? null : String(v)));
	}
	return { accountIds: (columns.account_id ?? []).map(String), columns: out };
}
