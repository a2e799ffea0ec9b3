/**
 * The churn model's training set (models/README.md, "Training set"): point-in-time snapshots at
 * past as-of dates, each with the features of churn-features.sql (data through the date only) and
 * the label of health-churn-labels.sql (churned within the horizon after the date, METRICS.md's
 * churn, judged with the later data), over the accounts active on the date. The split is by date:
 * the newest fully labelled snapshot is the test set, the one before the validation set, the older
 * ones the training set.
 */
import { REVENUE_STATUSES } from '../ingest/entities.ts';
import { tenantSettings, type AnalyticsSettings } from '../analytics/config.ts';
import type { Dataset } from '../analytics/datasets.ts';
import { AnalyticsError } from '../analytics/errors.ts';
import { churnLabels } from '../analytics/health/backtest.ts';
import { checkDay } from '../analytics/health/dates.ts';
import { defaultAsOf } from '../analytics/ltv/inputs.ts';
import type { Db } from '../sql/client.ts';
import { loadQuery, queryOne } from '../sql/query.ts';
import {
	computeFeatures,
	FEATURE_NAMES,
	featureCurrency,
	type FeatureColumns,
	type FeatureValue
} from './features.ts';

export type SplitName = 'train' | 'validation' | 'test';

export interface SplitOptions {
	/** How many of the newest snapshot dates form the test set (default 1). */
	readonly testDates?: number;
	/** How many dates before those form the validation set (default 1). */
	readonly validationDates?: number;
}

export interface TrainingSetOptions {
	/** YYYY-MM-DD snapshot dates; default the month-ends over the history whose horizon is in the data. */
	readonly asOfDates?: readonly string[];
	/** Days after a snapshot in which a churn makes the label 1 (default 90). */
	readonly horizonDays?: number;
	/** Reporting currency; default the tenant's (or the one currency in the data). */
	readonly currency?: string;
	readonly split?: SplitOptions;
	readonly settings?: AnalyticsSettings;
	/** Progress: one line per snapshot. */
	readonly log?: (line: string) => void;
}

export interface TrainingRow {
	readonly accountId: string;
	readonly asOf: string;
	/** 1: churned within (asOf, asOf + horizon]. */
	readonly label: 0 | 1;
}

export interface TrainingSet {
	readonly horizonDays: number;
	readonly currency: string | null;
	/** The snapshot dates, oldest first, with the split each went to. */
	readonly dates: readonly { readonly asOf: string; readonly split: SplitName }[];
	/** Snapshot by snapshot (oldest first), accounts in id order. */
	readonly rows: TrainingRow[];
	/** One array per feature, aligned with rows. */
	readonly features: FeatureColumns;
	/** The split of each row, aligned with rows. */
	readonly split: SplitName[];
}

/** YYYY-MM-DD plus n days. */
function addDays(day: string, n: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The default snapshot dates: every month-end E with firstDay ≤ E and E + horizonDays ≤ lastDay
 * (the label's horizon lies inside the data), oldest first.
 */
export function snapshotDates(firstDay: string, lastDay: string, horizonDays: number): string[] {
	const [y, m] = firstDay.split('-').map(Number) as [number, number];
	const out: string[] = [];
	for (let k = 1; ; k++) {
		// Day 0 of month m + k (1-based m): the last day of the (k − 1)-th month after firstDay's.
		const end = new Date(Date.UTC(y, m - 1 + k, 0)).toISOString().slice(0, 10);
		if (addDays(end, horizonDays) > lastDay) return out;
		if (end >= firstDay) out.push(end);
	}
}

/**
 * The time-based split of snapshot dates: the newest `testDates` → test, the `validationDates`
 * before them → validation, the older ones → train. At least one date must be left to train on.
 */
export function splitByDate(
	dates: readonly string[],
	opts: SplitOptions = {}
): Map<string, SplitName> {
	const test = opts.testDates ?? 1;
	const validation = opts.validationDates ?? 1;
	for (const [what, n] of [
		['testDates', test],
		['validationDates', validation]
	] as const) {
		if (!Number.isInteger(n) || n < 0) {
			throw new AnalyticsError(
				`Split option ${what} = ${n}: use a whole number of dates (0 or more).`
			);
		}
	}
	const sorted = [...new Set(dates)].sort();
	if (sorted.length <= test + validation) {
		throw new AnalyticsError(
			`${sorted.length} snapshot date(s) (${sorted.join(', ') || 'none'}) leave nothing to train on after ${test} test and ${validation} validation date(s): load more history, pass more dates or shorten the horizon.`
		);
	}
	return new Map(
		sorted.map((d, i) => [
			d,
			i >= sorted.length - test
				? 'test'
				: i >= sorted.length - test - validation
					? 'validation'
					: 'train'
		])
	);
}

function checkHorizon(days: number): number {
	if (!Number.isInteger(days) || days < 1 || days > 3650) {
		throw new AnalyticsError(`Horizon ${days} days: use whole days from 1 to 3650 (default 90).`);
	}
	return days;
}

/** The last day with data (METRICS.md: today, or the last day with data when they end earlier). */
async function lastDataDay(db: Db): Promise<string | null> {
	return defaultAsOf(db, db.timezone);
}

export async function buildTrainingSet(
	db: Db,
	opts: TrainingSetOptions = {}
): Promise<TrainingSet> {
	const horizonDays = checkHorizon(opts.horizonDays ?? 90);
	const settings = opts.settings ?? (await tenantSettings(db));
	const lastDay = await lastDataDay(db);
	let dates = opts.asOfDates?.map((d) => checkDay(d, 'A snapshot date'));
	let currency = opts.currency ?? null;
	if (!dates) {
		currency ??= lastDay ? await featureCurrency(db, lastDay, settings) : null;
		const first = currency
			? await queryOne<{ first_day: string | null }>(
					db,
					loadQuery('churn-first-day'),
					{ tz: db.timezone, statuses: [...REVENUE_STATUSES], currency },
					{ tag: 'models:churn-first-day' }
				)
			: undefined;
		dates = lastDay && first?.first_day ? snapshotDates(first.first_day, lastDay, horizonDays) : [];
	}
	for (const d of dates) {
		if (!lastDay || addDays(d, horizonDays) > lastDay) {
			throw new AnalyticsError(
				`Snapshot ${d} is not fully labelled: its ${horizonDays}-day horizon ends ${addDays(d, horizonDays)}, after the data end ${lastDay ?? '(no data)'}. Pass earlier dates or shorten the horizon.`
			);
		}
	}
	const splits = splitByDate(dates, opts.split);
	currency ??= lastDay ? await featureCurrency(db, lastDay, settings) : null;

	const rows: TrainingRow[] = [];
	const split: SplitName[] = [];
	const features = Object.fromEntries(FEATURE_NAMES.map((n) => [n, []])) as unknown as Record<
		string,
		FeatureValue[]
	>;
	for (const [asOf, part] of splits) {
		if (!currency) break;
		const t0 = performance.now();
		const matrix = await computeFeatures(db, { asOf, currency, settings });
		const t1 = performance.now();
		const labels = await churnLabels(db, { asOf, horizonDays, currency, settings });
		const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);
		opts.log?.(
			`  ${asOf} (${part}): ${matrix.accountIds.length.toLocaleString('en-US')} active accounts; features ${((t1 - t0) / 1000).toFixed(1)} s, labels ${seconds(t1)} s`
		);
		const active = new Map(labels.filter((l) => l.active).map((l) => [l.accountId, l.churned]));
		// The population is the label query's active set: a difference means the two definitions
		// drifted apart, which must fail loudly rather than train on mislabelled rows.
		const unlabelled = matrix.accountIds.filter((id) => !active.has(id));
		if (unlabelled.length || active.size !== matrix.accountIds.length) {
			throw new AnalyticsError(
				`Snapshot ${asOf}: the features' active accounts (${matrix.accountIds.length}) differ from the labels' (${active.size}), e.g. ${unlabelled.slice(0, 3).join(', ') || [...active.keys()].find((id) => !matrix.accountIds.includes(id))}: churn-features.sql and health-churn-labels.sql must share the active rule.`
			);
		}
		for (const id of matrix.accountIds) {
			rows.push({ accountId: id, asOf, label: active.get(id) ? 1 : 0 });
			split.push(part);
		}
		for (const name of FEATURE_NAMES) {
			const target = features[name]!;
			for (const v of matrix.columns[name]) target.push(v);
		}
	}
	return {
		horizonDays,
		currency,
		dates: [...splits].map(([asOf, s]) => ({ asOf, split: s })),
		rows,
		features: features as FeatureColumns,
		split
	};
}

/** Columns of the `churn-features` export. */
export const CHURN_FEATURE_COLUMNS = ['account_id', 'as_of', 'label', ...FEATURE_NAMES] as const;

/**
 * `tenure export churn-features --as-of D`: the feature matrix of D with the label where it is
 * known (D + horizon on or before the data end), else empty.
 */
export const CHURN_FEATURE_DATASETS: readonly Dataset[] = [
	{
		name: 'churn-features',
		description:
			"The churn model's raw features per account active on the as-of date (data through that day only; empty = no data), with the label (1 = churned within the horizon) where the horizon lies inside the data.",
		columns: CHURN_FEATURE_COLUMNS,
		options: {
			horizon: {
				description: 'Days after the as-of date in which a churn makes the label 1.',
				values: ['30', '60', '90', '180'],
				fallback: '90'
			}
		},
		async *run(db, opts) {
			const horizonDays = checkHorizon(Number(opts.options?.horizon ?? '90'));
			const settings = await tenantSettings(db);
			const lastDay = await lastDataDay(db);
			const asOf = opts.asOf ? checkDay(opts.asOf, 'The as-of date') : lastDay;
			if (!asOf) return;
			const currency = await featureCurrency(db, asOf, settings);
			if (!currency) return;
			const matrix = await computeFeatures(db, { asOf, currency, settings });
			const known = lastDay !== null && addDays(asOf, horizonDays) <= lastDay;
			const labels = known
				? new Map(
						(await churnLabels(db, { asOf, horizonDays, currency, settings })).map((l) => [
							l.accountId,
							l.churned ? 1 : 0
						])
					)
				: new Map<string, number>();
			yield matrix.accountIds.map((id, i) => ({
				account_id: id,
				as_of: asOf,
				label: labels.get(id) ?? null,
				...Object.fromEntries(FEATURE_NAMES.map((n) => [n, matrix.columns[n][i]]))
			}));
		}
	}
];
