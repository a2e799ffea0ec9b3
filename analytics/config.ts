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
		fallback: 'both',
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
		fallback: null,
		parse: (value: string) => (/^[A-Z]{3}$/.test(value.trim()) ? value.trim() : undefined),
		expected: 'an ISO 4217 code such as CNY or USD'
	}
} satisfies { [K in keyof LtvSettings]: Setting<LtvSettings[K]> };

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

/** The LTV settings, with defaults for absent keys. Throws SettingError on an invalid value. */
export async function ltvSettings(db: Db): Promise<LtvSettings> {
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
	return {
		margin: read(SETTINGS.margin),
		discountRate: read(SETTINGS.discountRate),
		businessModel: read(SETTINGS.businessModel),
		renewalGraceDays: read(SETTINGS.renewalGraceDays),
		overdueFactor: read(SETTINGS.overdueFactor),
		reportingCurrency: read(SETTINGS.reportingCurrency)
	};
}

const KEYS = new Map(Object.values(SETTINGS).map((s) => [s.key, s as Setting<unknown>]));

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
