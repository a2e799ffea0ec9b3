/**
 * Cohort retention (METRICS.md, "Cohort"): accounts grouped by the month, week or quarter of
 * their first activity, and per later period the share still active and their revenue. Read from
 * account_periods of one refresh (quarters from the month rows; weeks cover the cohorts of the
 * 52 weeks before the refresh date).
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import {
	averageCurve,
	cohortMatrix,
	type CellCount,
	type CohortCell,
	type RetentionCurvePoint
} from './cohort-grid.ts';
import { money } from './money.ts';
import {
	addPeriods,
	checkGrain,
	checkPeriodStart,
	COHORT_GRAINS,
	periodStart,
	type CohortGrain
} from './periods.ts';
import {
	assertFactsKept,
	pageParams,
	readContext,
	type AccountPage,
	type PageOptions,
	type RetentionReadOptions
} from './read.ts';

export type { CohortCell, RetentionCurvePoint } from './cohort-grid.ts';

export interface CohortOptions extends RetentionReadOptions {
	readonly grain: CohortGrain;
	/** Keep period indexes 0..maxPeriods (default: all up to the as-of period). */
	readonly maxPeriods?: number;
}

/** Large enough for any history (SQL takes a number, not "no limit"). */
const ALL_PERIODS = 100_000;

function checkMaxPeriods(value: number | undefined): number {
	if (value === undefined) return ALL_PERIODS;
	if (!Number.isInteger(value) || value < 0 || value > ALL_PERIODS) {
		throw new AnalyticsError(`maxPeriods must be a whole number from 0; ${value} was asked for.`);
	}
	return value;
}

/**
 * The cohort matrix as long-format rows, by cohort then period index: every cell from period 0
 * to the as-of period (0 where the cohort had no activity), none after it (the future is
 * empty), the as-of period's cells flagged `partial`. Amounts are decimal strings.
 */
export async function cohortRetention(db: Db, opts: CohortOptions): Promise<CohortCell[]> {
	const grain = checkGrain(opts.grain, COHORT_GRAINS);
	const maxPeriods = checkMaxPeriods(opts.maxPeriods);
	const { ref, params } = await readContext(db, opts);
	const raw = await queryRows<{
		cohort: string;
		period_index: number;
		accounts: number;
		active_accounts: number;
		revenue: string;
	}>(
		db,
		// Quarters need a distinct count of accounts; months and weeks a plain one (a fixed choice
		// between two statements).
		loadQuery(grain === 'quarter' ? 'retention-cohort-cells-quarter' : 'retention-cohort-cells'),
		{ ...params, grain, as_of: ref.asOf, max_periods: maxPeriods },
		{ tag: `retention:cohorts-${grain}` }
	);
	if (!raw.length) await assertFactsKept(db, ref);
	const cells: CellCount[] = raw.map((r) => ({
		cohort: r.cohort,
		periodIndex: Number(r.period_index),
		accounts: Number(r.accounts),
		activeAccounts: Number(r.active_accounts),
		revenue: String(r.revenue)
	}));
	return cohortMatrix(
		cells,
		grain,
		periodStart(ref.asOf, grain),
		opts.maxPeriods === undefined ? undefined : maxPeriods
	);
}

export interface AverageCurveOptions extends CohortOptions {
	/** Count cohorts whose cell is the (partial) as-of period too; default false. */
	readonly includePartial?: boolean;
}

/**
 * The average retention curve per period index: over the cohorts that have reached the period
 * index with a complete period (the as-of period's partial cells are left out unless
 * `includePartial`), logo retention weighted by cohort size (Σ active ÷ Σ cohort size) and
 * revenue retention weighted by period-0 revenue (cohorts without period-0 revenue left out).
 */
export async function averageRetentionCurve(
	db: Db,
	opts: AverageCurveOptions
): Promise<RetentionCurvePoint[]> {
	return averageCurve(await cohortRetention(db, opts), opts.includePartial ?? false);
}

export interface RetentionAtPeriodOptions extends AverageCurveOptions {
	readonly periodIndex: number;
}

/** One interval (e.g. month 3) across cohorts: each cohort's cell and their weighted average. */
export interface RetentionAtPeriod {
	readonly periodIndex: number;
	/** The cells of cohorts that have reached the period index, partial ones included (flagged). */
	readonly cells: CohortCell[];
	/** As averageRetentionCurve at this index; null when no cohort has reached it. */
	readonly average: RetentionCurvePoint | null;
}

export async function retentionAtPeriod(
	db: Db,
	opts: RetentionAtPeriodOptions
): Promise<RetentionAtPeriod> {
	const k = opts.periodIndex;
	if (!Number.isInteger(k) || k < 0) {
		throw new AnalyticsError(`periodIndex must be a whole number from 0; ${k} was asked for.`);
	}
	const matrix = await cohortRetention(db, { ...opts, maxPeriods: k });
	const cells = matrix.filter((c) => c.periodIndex === k);
	const average =
		averageCurve(cells, opts.includePartial ?? false).find((p) => p.periodIndex === k) ?? null;
	return { periodIndex: k, cells, average };
}

export interface CellAccountsOptions extends RetentionReadOptions, PageOptions {
	readonly grain: CohortGrain;
	/** YYYY-MM-DD, the first day of the cohort's period. */
	readonly cohort: string;
	readonly periodIndex: number;
	/** true (default): the cohort's accounts active in the cell; false: those that were not. */
	readonly active?: boolean;
}

/** An account behind a cohort cell; revenue (in the cell's period) is a decimal string. */
export interface CellAccount {
	readonly accountId: string;
	readonly name: string;
	readonly ownerEmail: string;
	readonly segment: string;
	readonly revenue: string;
}

/**
 * The accounts behind one cohort cell, active (default) or lapsed, largest revenue in the cell
 * first: the portal's click-through and "save as worklist". A cell after the as-of period is an
 * error (it has no accounts yet), as is a weekly cohort older than the 52 weeks that weeks cover.
 */
export async function cohortCellAccounts(
	db: Db,
	opts: CellAccountsOptions
): Promise<AccountPage<CellAccount>> {
	const grain = checkGrain(opts.grain, COHORT_GRAINS);
	const cohort = checkPeriodStart(opts.cohort, grain, 'The cohort');
	const k = opts.periodIndex;
	if (!Number.isInteger(k) || k < 0) {
		throw new AnalyticsError(`periodIndex must be a whole number from 0; ${k} was asked for.`);
	}
	const page = pageParams(opts);
	const { ref, params } = await readContext(db, opts);
	const period = addPeriods(cohort, k, grain);
	const asOfPeriod = periodStart(ref.asOf, grain);
	if (period > asOfPeriod) {
		throw new AnalyticsError(
			`Period ${k} of cohort ${cohort} starts ${period}, after the refresh date ${ref.asOf}: pick a cell up to the ${grain} of ${ref.asOf}.`
		);
	}
	if (grain === 'week' && cohort <= addPeriods(asOfPeriod, -52, 'week')) {
		throw new AnalyticsError(
			`Weekly cohorts cover the 52 weeks before ${ref.asOf}; ${cohort} is older: use the monthly or quarterly cohorts.`
		);
	}
	const rows = await queryRows<{
		account_id: string;
		name: string;
		owner_email: string;
		segment: string;
		revenue: string;
		total: number;
	}>(
		db,
		loadQuery('retention-cell-accounts'),
		{
			...params,
			grain: grain === 'week' ? 'week' : 'month',
			cohort_from: cohort,
			cohort_to: addPeriods(cohort, 1, grain),
			period_from: period,
			period_to: addPeriods(period, 1, grain),
			active: opts.active ?? true,
			...page
		},
		{ tag: 'retention:cell-accounts' }
	);
	return {
		total: Number(rows[0]?.total ?? 0),
		rows: rows.map((r) => ({
			accountId: r.account_id,
			name: r.name,
			ownerEmail: r.owner_email,
			segment: r.segment,
			revenue: money(String(r.revenue))
		}))
	};
}
