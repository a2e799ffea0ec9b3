/**
 * Tenant configuration (the `tenant_settings` table): margins, thresholds and the business model
 * that METRICS.md leaves to the admin. Each setting has a type, a default used while it is absent
 * and a check; a stored value that fails its check is an error naming the key, never a silent
 * default.
 */
import type { Db } from '../sql/client.ts';
import { insertRows, loadQuery, queryRows } from '../sql/query.ts';

export type BusinessModel = 'orders' | 'subscriptions' | 'both';

/** The settings the LTV refresh reads. */
export interface LtvSettings {
	/** Gross margin (fraction of revenue) for predicted and contractual LTV. Key `ltv_margin`. */
	readonly margin: number;
	/** Yearly discount rate of the predicted LTV; 0 = undiscounted. Key `ltv_discount_rate`. */
	readonly discountRate: number;
	/** Which accounts are valued as contractual. Key `business_model`. */
	readonly businessModel: BusinessModel;
	/** Days after a subscription's end before the account counts as churned. */
	readonly renewalGraceDays: number;
	/** "Next order overdue" after this many times the account's median gap between purchase days. */
	readonly overdueFactor: number;
	/** The tenant's one reporting currency; null: the single currency found in the data. */
	readonly reportingCurrency: string | null;
}

/** Health components of METRICS.md, in the order the UI lists them. */
export const HEALTH_COMPONENTS = [
	'recency',
	'spend',
	'usage',
	'support',
	'sentiment',
	'payment',
	'relationship'
] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Every setting the analytics read (METRICS.md names each as a default an admin can change).
 * Amounts are in the reporting currency.
 */
export interface AnalyticsSettings extends LtvSettings {
	/** Non-contractual churn: no counted order in this many days. */
	readonly churnInactivityDays: number;
	/** Tier A: trailing-12-month revenue ≥ this and repurchase rate above tierARepurchase. */
	readonly tierARevenue: number;
	readonly tierARepurchase: number;
	/** Tier B: revenue ≥ tierBRevenue (below A's) or repurchase rate ≥ tierBRepurchase. */
	readonly tierBRevenue: number;
	readonly tierBRepurchase: number;
	/** RFM lookback in days. */
	readonly rfmLookbackDays: number;
	/** Lifecycle: growth while the first order is younger than this many days. */
	readonly growthNewDays: number;
	/** Lifecycle: growth when trailing-6-month revenue ≥ this × the 6 months before (1.2). */
	readonly growthRatio: number;
	/** Lifecycle: decline when trailing-6-month revenue < this × the 6 months before (0.8). */
	readonly declineRatio: number;
	/** NPS and other rates based on fewer responses than this are "low sample". */
	readonly npsMinSample: number;
	/** SLA targets in hours, per priority. */
	readonly slaFirstResponseHours: Readonly<Record<Priority, number>>;
	readonly slaResolutionHours: Readonly<Record<Priority, number>>;
	/** An unresolved complaint older than this many business days escalates. */
	readonly complaintEscalationBusinessDays: number;
	/** Complaint closure rate target (0.9). */
	readonly complaintClosureTarget: number;
	/** Health component weights, summing to 1. */
	readonly healthWeights: Readonly<Record<HealthComponent, number>>;
	/** Health bands: green ≥ healthGreen, yellow ≥ healthYellow, red below. */
	readonly healthGreen: number;
	readonly healthYellow: number;
	/** Early warning: usage down by at least this fraction vs the previous period (0.3). */
	readonly usageDropThreshold: number;
	/** At risk: churn probability at or above this (0.5). */
	readonly riskThreshold: number;
	/** Cross-sell: lookback in days, and the minimum confidence of a suggestion. */
	readonly crossSellLookbackDays: number;
	readonly crossSellMinConfidence: number;
}

export class SettingError extends Error {
	override name = 'SettingError';
}

interface Setting<T> {
	readonly key: string;
	readonly fallback: T;
	readonly parse: (value: string) => T | undefined;
	readonly expected: string;
}

const fraction = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && n > 0 && n <= 1 ? n : undefined;
};
const rate = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && n >= 0 && n < 1 ? n : undefined;
};
const wholeDays = (value: string) => {
	const n = Number(value);
	return /^\d+$/.test(value.trim()) && n <= 3650 ? n : undefined;
};
const factor = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && n >= 1 && n <= 100 ? n : undefined;
};

const amount = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
};
const share = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && n >= 0 && n <= 1 ? n : undefined;
};
const hours = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && n > 0 && n <= 24 * 365 ? n : undefined;
};
const ratio = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && n > 0 && n <= 10 ? n : undefined;
};
const score = (value: string) => {
	const n = Number(value);
	return value.trim() !== '' && n >= 0 && n <= 100 ? n : undefined;
};
const count = (value: string) => {
	const n = Number(value);
	return /^\d+$/.test(value.trim()) && n >= 1 && n <= 1_000_000 ? n : undefined;
};

/** Default health weights (METRICS.md leaves them to the tenant; these sum to 1). */
export const DEFAULT_HEALTH_WEIGHTS: Readonly<Record<HealthComponent, number>> = {
	recency: 0.2,
	spend: 0.2,
	usage: 0.15,
	support: 0.15,
	sentiment: 0.15,
	payment: 0.1,
	relationship: 0.05
};

const SETTINGS = {
	margin: {
		key: 'ltv_margin',
		fallback: 0.3,
		parse: fraction,
		expected: 'a fraction above 0 and at most 1 (0.3 = 30 %)'
	},
	discountRate: {
		key: 'ltv_discount_rate',
		fallback: 0,
		parse: rate,
		expected: 'a yearly rate from 0 to below 1 (0.1 = 10 %)'
	},
	businessModel: {
		key: 'business_model',
		fallback: 'both' as BusinessModel,
		parse: (value: string) =>
			(['orders', 'subscriptions', 'both'] as const).find((m) => m === value.trim()),
		expected: 'orders, subscriptions or both'
	},
	renewalGraceDays: {
		key: 'renewal_grace_days',
		fallback: 30,
		parse: wholeDays,
		expected: 'whole days from 0 to 3650'
	},
	overdueFactor: {
		key: 'repurchase_overdue_factor',
		fallback: 1.5,
		parse: factor,
		expected: 'a number from 1 to 100 (1.5 = half again the usual gap)'
	},
	reportingCurrency: {
		key: 'reporting_currency',
		fallback: null as string | null,
		parse: (value: string) => (/^[A-Z]{3}$/.test(value.trim()) ? value.trim() : undefined),
		expected: 'an ISO 4217 code such as CNY or USD'
	},
	churnInactivityDays: {
		key: 'churn_inactivity_days',
		fallback: 180,
		parse: (value: string) => {
			const n = wholeDays(value);
			return n !== undefined && n >= 1 ? n : undefined;
		},
		expected: 'whole days from 1 to 3650'
	},
	tierARevenue: {
		key: 'tier_a_revenue',
		fallback: 50_000,
		parse: amount,
		expected: 'an amount of at least 0 in the reporting currency'
	},
	tierARepurchase: {
		key: 'tier_a_repurchase',
		fallback: 0.8,
		parse: share,
		expected: 'a share from 0 to 1 (0.8 = 80 % of the last 4 quarters)'
	},
	tierBRevenue: {
		key: 'tier_b_revenue',
		fallback: 20_000,
		parse: amount,
		expected: 'an amount of at least 0 in the reporting currency'
	},
	tierBRepurchase: {
		key: 'tier_b_repurchase',
		fallback: 0.5,
		parse: share,
		expected: 'a share from 0 to 1 (0.5 = 50 % of the last 4 quarters)'
	},
	rfmLookbackDays: {
		key: 'rfm_lookback_days',
		fallback: 365,
		parse: (value: string) => {
			const n = wholeDays(value);
			return n !== undefined && n >= 7 ? n : undefined;
		},
		expected: 'whole days from 7 to 3650'
	},
	growthNewDays: {
		key: 'lifecycle_growth_days',
		fallback: 180,
		parse: wholeDays,
		expected: 'whole days from 0 to 3650'
	},
	growthRatio: {
		key: 'lifecycle_growth_ratio',
		fallback: 1.2,
		parse: ratio,
		expected: 'a ratio above 0 and at most 10 (1.2 = 120 %)'
	},
	declineRatio: {
		key: 'lifecycle_decline_ratio',
		fallback: 0.8,
		parse: ratio,
		expected: 'a ratio above 0 and at most 10 (0.8 = 80 %)'
	},
	npsMinSample: {
		key: 'nps_min_sample',
		fallback: 30,
		parse: count,
		expected: 'a whole number of responses from 1'
	},
	...slaSettings('first_response', { urgent: 1, high: 4, normal: 24, low: 48 }),
	...slaSettings('resolution', { urgent: 8, high: 24, normal: 72, low: 120 }),
	complaintEscalationBusinessDays: {
		key: 'complaint_escalation_business_days',
		fallback: 3,
		parse: (value: string) => {
			const n = wholeDays(value);
			return n !== undefined && n >= 1 && n <= 60 ? n : undefined;
		},
		expected: 'whole business days from 1 to 60'
	},
	complaintClosureTarget: {
		key: 'complaint_closure_target',
		fallback: 0.9,
		parse: share,
		expected: 'a share from 0 to 1 (0.9 = 90 %)'
	},
	...healthWeightSettings(),
	healthGreen: {
		key: 'health_green_min',
		fallback: 70,
		parse: score,
		expected: 'a score from 0 to 100'
	},
	healthYellow: {
		key: 'health_yellow_min',
		fallback: 40,
		parse: score,
		expected: 'a score from 0 to 100'
	},
	usageDropThreshold: {
		key: 'alert_usage_drop',
		fallback: 0.3,
		parse: fraction,
		expected: 'a fraction above 0 and at most 1 (0.3 = down 30 %)'
	},
	riskThreshold: {
		key: 'risk_threshold',
		fallback: 0.5,
		parse: fraction,
		expected: 'a probability above 0 and at most 1'
	},
	crossSellLookbackDays: {
		key: 'cross_sell_lookback_days',
		fallback: 365,
		parse: (value: string) => {
			const n = wholeDays(value);
			return n !== undefined && n >= 7 ? n : undefined;
		},
		expected: 'whole days from 7 to 3650'
	},
	crossSellMinConfidence: {
		key: 'cross_sell_min_confidence',
		fallback: 0.2,
		parse: fraction,
		expected: 'a fraction above 0 and at most 1'
	}
};

function healthWeightSettings() {
	return Object.fromEntries(
		HEALTH_COMPONENTS.map((c) => [
			`healthWeight_${c}`,
			{
				key: `health_weight_${c}`,
				fallback: DEFAULT_HEALTH_WEIGHTS[c],
				parse: share,
				expected: 'a weight from 0 to 1 (all health weights together sum to 1)'
			} satisfies Setting<number>
		])
	) as Record<`healthWeight_${HealthComponent}`, Setting<number>>;
}

function slaSettings<K extends 'first_response' | 'resolution'>(
	kind: K,
	defaults: Record<Priority, number>
) {
	return Object.fromEntries(
		PRIORITIES.map((p) => [
			`sla_${kind}_${p}`,
			{
				key: `sla_${kind}_hours_${p}`,
				fallback: defaults[p],
				parse: hours,
				expected: 'hours above 0 and at most a year'
			} satisfies Setting<number>
		])
	) as Record<`sla_${K}_${Priority}`, Setting<number>>;
}

/** Every stored setting, current values only. */
async function storedSettings(db: Db): Promise<Map<string, string>> {
	const rows = await queryRows<{ key: string; value: string }>(
		db,
		loadQuery('tenant-settings'),
		{},
		{ tag: 'config:settings' }
	);
	return new Map(rows.map((r) => [r.key, r.value]));
}

/** Every tenant setting, with defaults for absent keys. Throws SettingError on an invalid value. */
export async function tenantSettings(db: Db): Promise<AnalyticsSettings> {
	const stored = await storedSettings(db);
	const read = <T>(setting: Setting<T>): T => {
		const value = stored.get(setting.key);
		if (value === undefined) return setting.fallback;
		const parsed = setting.parse(value);
		if (parsed === undefined) {
			throw new SettingError(
				`Tenant setting ${setting.key} = '${value}' is not valid: it must be ${setting.expected}. Change it on the admin settings page (or the tenant_settings table).`
			);
		}
		return parsed;
	};
	const perPriority = (kind: 'first_response' | 'resolution') =>
		Object.fromEntries(PRIORITIES.map((p) => [p, read(SETTINGS[`sla_${kind}_${p}`])])) as Record<
			Priority,
			number
		>;
	const healthWeights = Object.fromEntries(
		HEALTH_COMPONENTS.map((c) => [c, read(SETTINGS[`healthWeight_${c}`])])
	) as Record<HealthComponent, number>;
	const weightSum = HEALTH_COMPONENTS.reduce((s, c) => s + healthWeights[c], 0);
	if (Math.abs(weightSum - 1) > 1e-6) {
		throw new SettingError(
			`The health weights (${HEALTH_COMPONENTS.map((c) => `health_weight_${c} = ${healthWeights[c]}`).join(', ')}) sum to ${Number(weightSum.toFixed(6))}, not 1. Change them on the admin settings page so that they sum to 1.`
		);
	}
	const settings: AnalyticsSettings = {
		margin: read(SETTINGS.margin),
		discountRate: read(SETTINGS.discountRate),
		businessModel: read(SETTINGS.businessModel),
		renewalGraceDays: read(SETTINGS.renewalGraceDays),
		overdueFactor: read(SETTINGS.overdueFactor),
		reportingCurrency: read(SETTINGS.reportingCurrency),
		churnInactivityDays: read(SETTINGS.churnInactivityDays),
		tierARevenue: read(SETTINGS.tierARevenue),
		tierARepurchase: read(SETTINGS.tierARepurchase),
		tierBRevenue: read(SETTINGS.tierBRevenue),
		tierBRepurchase: read(SETTINGS.tierBRepurchase),
		rfmLookbackDays: read(SETTINGS.rfmLookbackDays),
		growthNewDays: read(SETTINGS.growthNewDays),
		growthRatio: read(SETTINGS.growthRatio),
		declineRatio: read(SETTINGS.declineRatio),
		npsMinSample: read(SETTINGS.npsMinSample),
		slaFirstResponseHours: perPriority('first_response'),
		slaResolutionHours: perPriority('resolution'),
		complaintEscalationBusinessDays: read(SETTINGS.complaintEscalationBusinessDays),
		complaintClosureTarget: read(SETTINGS.complaintClosureTarget),
		healthWeights,
		healthGreen: read(SETTINGS.healthGreen),
		healthYellow: read(SETTINGS.healthYellow),
		usageDropThreshold: read(SETTINGS.usageDropThreshold),
		riskThreshold: read(SETTINGS.riskThreshold),
		crossSellLookbackDays: read(SETTINGS.crossSellLookbackDays),
		crossSellMinConfidence: read(SETTINGS.crossSellMinConfidence)
	};
	if (settings.healthYellow > settings.healthGreen) {
		throw new SettingError(
			`health_yellow_min (${settings.healthYellow}) is above health_green_min (${settings.healthGreen}): the yellow band must start below the green one.`
		);
	}
	if (settings.tierBRevenue > settings.tierARevenue) {
		throw new SettingError(
			`tier_b_revenue (${settings.tierBRevenue}) is above tier_a_revenue (${settings.tierARevenue}): tier B's revenue threshold must not exceed tier A's.`
		);
	}
	return settings;
}

/** The LTV settings (a subset of tenantSettings). */
export async function ltvSettings(db: Db): Promise<LtvSettings> {
	return tenantSettings(db);
}

const KEYS = new Map(Object.values(SETTINGS).map((s) => [s.key, s as Setting<unknown>] as const));

/** Every setting key with its default, for the admin page and documentation. */
export function settingKeys(): { key: string; fallback: unknown; expected: string }[] {
	return Object.values(SETTINGS).map((s) => ({
		key: s.key,
		fallback: s.fallback,
		expected: s.expected
	}));
}

/** Stores one setting after checking it (the admin page and tests write through here). */
export async function setTenantSetting(db: Db, key: string, value: string): Promise<void> {
	const setting = KEYS.get(key);
	if (!setting) {
		throw new SettingError(
			`Unknown tenant setting '${key}'. Known: ${[...KEYS.keys()].join(', ')}.`
		);
	}
	if (setting.parse(value) === undefined) {
		throw new SettingError(`Tenant setting ${key} = '${value}': it must be ${setting.expected}.`);
	}
	await insertRows(
		db,
		'tenant_settings',
		[{ key, value: value.trim(), updated_at: new Date() }],
		'config:set'
	);
}
