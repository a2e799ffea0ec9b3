/**
 * `tenure refresh`: recompute the derived tables as of a date. The base (snapshot, periods,
 * products) first, then each step in order, all under one new refresh id that readers only see
 * once every step has succeeded. A refresh of a date that was refreshed before replaces it; the
 * health and alert history of other dates stays.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../sql/client.ts';
import { command, insertRows, ident, loadQuery, queryRows } from '../../sql/query.ts';
import { tenantSettings } from '../config.ts';
import { AnalyticsError } from '../errors.ts';
import { checkDate, defaultAsOf, resolveCurrency } from '../ltv/inputs.ts';
import { refreshBase } from './base.ts';
import type { RefreshContext, RefreshStep } from './context.ts';
import { factsBasis, recordSeenRuns, type BaseMode } from './incremental.ts';
import { findRefresh } from './state.ts';
import { REFRESH_STEPS } from './steps.ts';

/** The base's tables (steps list theirs in RefreshStep.tables). */
const PER_REFRESH_TABLES = [
	'account_days',
	'account_periods',
	'account_products',
	'analytics_refresh_runs',
	'refresh_dirty_accounts'
] as const;
const SNAPSHOT_TABLES = ['account_snapshot'] as const;
/** How many refreshes keep their period and product facts (cohort queries of older dates fail). */
export const KEEP_FACTS = 3;

export interface RefreshOptions {
	/** YYYY-MM-DD; default today, or the last day with data when the data end earlier. */
	readonly asOf?: string;
	/** Steps after the base; default all of them (tests run one at a time). */
	readonly steps?: readonly RefreshStep[];
	/** Compute the base's facts whole instead of copying the previous refresh's (incremental.ts). */
	readonly full?: boolean;
	readonly log?: (line: string) => void;
}

export interface RefreshResult {
	readonly refreshId: string;
	readonly asOf: string;
	readonly currency: string;
	/** Whether the base's facts were copied from an earlier refresh, and for how many accounts not. */
	readonly base: BaseMode;
	/** Milliseconds per step, in order. */
	readonly steps: Record<string, number>;
	readonly seconds: number;
}

export async function refreshAnalytics(
	db: Db,
	options: RefreshOptions = {}
): Promise<RefreshResult> {
	const t0 = performance.now();
	const log = options.log ?? (() => undefined);
	const settings = await tenantSettings(db);
	const tz = db.timezone;
	const asOf = options.asOf
		? checkDate(options.asOf, 'The as-of date')
		: ((await defaultAsOf(db, tz)) ?? new Date().toISOString().slice(0, 10));
	const currency = await resolveCurrency(db, asOf, tz, settings);
	if (currency === null) {
		throw new AnalyticsError(
			`There is no counted order or subscription on or before ${asOf}: load orders or subscriptions first (tenure ingest), or pick a later --as-of.`
		);
	}
	const previous = await findRefresh(db);
	const refreshId = `${asOf.replaceAll('-', '')}-${randomUUID().slice(0, 8)}`;
	const basis = factsBasis({ tz, currency, settings });
	const startedAt = new Date();
	const timings: Record<string, number> = {};
	const record = (status: string, message = '') =>
		insertRows(
			db,
			'analytics_refreshes',
			[
				{
					refresh_id: refreshId,
					as_of: asOf,
					status,
					currency,
					steps: timings,
					message,
					basis,
					started_at: startedAt,
					updated_at: new Date()
				}
			],
			'refresh:record'
		);
	const ctx: RefreshContext = {
		db,
		refreshId,
		asOf,
		tz,
		currency,
		settings,
		previous: previous && previous.asOf <= asOf ? previous : null,
		log,
		async step(name, body) {
			const s0 = performance.now();
			try {
				return await body();
			} finally {
				timings[name] = Math.round(performance.now() - s0);
				log(`  ${name} ${(timings[name] / 1000).toFixed(1)} s`);
			}
		}
	};
	await record('running');
	let base: BaseMode;
	let succeeded = false;
	await setMerges(db, false);
	try {
		await ctx.step('base:seen-runs', () => recordSeenRuns(db, refreshId));
		base = await refreshBase(ctx, { basis, full: options.full });
		for (const step of options.steps ?? REFRESH_STEPS) await step.run(ctx);
		await record('succeeded');
		succeeded = true;
		// Before merges restart: dropping a partition that is being merged waits for the merge to
		// be cancelled (12.5 s against 1.1 s when merges had just restarted).
		await ctx.step('cleanup', () => cleanup(db, refreshId, asOf));
	} catch (e) {
		// A cleanup that fails after the success is reported, but the refresh stays succeeded.
		if (!succeeded) {
			await record('failed', e instanceof Error ? e.message : String(e));
			await dropRefreshRows(db, refreshId).catch(() => undefined);
		}
		throw e;
	} finally {
		await setMerges(db, true);
	}
	return {
		refreshId,
		asOf,
		currency,
		base,
		steps: timings,
		seconds: (performance.now() - t0) / 1000
	};
}

/**
 * Fact tables only the refresh itself reads, whose background merges wait until the refresh is
 * over: merging the 10-20 fresh parts of each refresh while the steps run only takes CPU from
 * them. (Deferring the merges of account_periods and account_products too took the daily
 * refresh at 1M accounts from ~60 to ~55 s, but the portal's reads of the fresh, unmerged parts
 * right after it were up to twice as slow (cohort matrix 175 -> 371 ms): not done.)
 */
const DEFERRED_MERGES = ['account_days', 'refresh_dirty_accounts'] as const;

/**
 * Stops or restarts background merges of DEFERRED_MERGES. Best effort: on a cluster the tables
 * are Distributed (merges happen on the shards) and a server user may lack the SYSTEM grant;
 * either way the refresh only runs slower. A process killed in between leaves an embedded engine
 * merging again on its next start; a server until the next refresh ends.
 */
async function setMerges(db: Db, on: boolean): Promise<void> {
	if (db.cluster) return;
	for (const table of DEFERRED_MERGES) {
		await command(
			db,
			`SYSTEM ${on ? 'START' : 'STOP'} MERGES ${ident(table)}`,
			{},
			{
				tag: 'refresh:merges'
			}
		).catch(() => undefined);
	}
}

/** A refresh id is ours (date-uuid prefix); checked before it is written into ALTER text. */
function partitionOf(refreshId: string): string {
	if (!/^\d{8}-[0-9a-f]{8}$/.test(refreshId)) throw new Error(`Not a refresh id: ${refreshId}`);
	return `'${refreshId}'`;
}

/** Every table a refresh writes rows tagged with its id to: the base's and each step's. */
function refreshTables(): string[] {
	return [...PER_REFRESH_TABLES, ...SNAPSHOT_TABLES, ...REFRESH_STEPS.flatMap((s) => s.tables)];
}

/**
 * Tables partitioned by refresh_id hold facts that are kept for the newest KEEP_FACTS refreshes
 * and go as a partition; the others (partitioned by month of as_of) are history, kept for every
 * date, from which only a failed or replaced refresh's rows are deleted.
 */
async function factTables(db: Db): Promise<Set<string>> {
	const rows = await queryRows<{ name: string }>(
		db,
		`SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)} AND partition_key = 'refresh_id'`,
		{ names: refreshTables() },
		{ tag: 'refresh:fact-tables' }
	);
	return new Set(rows.map((r) => r.name));
}

async function dropFacts(db: Db, refreshId: string): Promise<void> {
	for (const table of await factTables(db)) {
		await command(
			db,
			`ALTER TABLE ${ident(table)} DROP PARTITION ${partitionOf(refreshId)}`,
			{},
			{ tag: 'refresh:drop' }
		);
	}
}

async function dropRefreshRows(db: Db, refreshId: string): Promise<void> {
	const facts = await factTables(db);
	await dropFacts(db, refreshId);
	for (const table of refreshTables().filter((t) => !facts.has(t))) {
		await command(
			db,
			`DELETE FROM ${ident(table)} WHERE refresh_id = {id:String}`,
			{ id: refreshId },
			{ tag: 'refresh:delete' }
		);
	}
}

/** Drops facts of expired refreshes and the rows of refreshes this one replaced. */
async function cleanup(db: Db, refreshId: string, asOf: string): Promise<void> {
	const rows = await queryRows<{
		refresh_id: string;
		currency: string;
		steps: Record<string, number>;
		started_at: string;
		facts_expired: number;
		same_date_older: number;
	}>(
		db,
		loadQuery('refresh-superseded'),
		{ keep: KEEP_FACTS, as_of: asOf, refresh_id: refreshId },
		{ tag: 'refresh:superseded' }
	);
	for (const r of rows) {
		if (Number(r.same_date_older)) {
			await supersede(db, { ...r, as_of_day: asOf }, `replaced by refresh ${refreshId}`);
		} else if (Number(r.facts_expired)) {
			await dropFacts(db, r.refresh_id);
		}
	}
}

interface RefreshRecord {
	refresh_id: string;
	as_of_day: string;
	currency: string;
	steps: Record<string, number>;
	started_at: string;
}

/** Deletes a refresh's rows and records it as superseded (readers never see it again). */
async function supersede(db: Db, r: RefreshRecord, message: string): Promise<void> {
	await dropRefreshRows(db, r.refresh_id);
	await insertRows(
		db,
		'analytics_refreshes',
		[
			{
				refresh_id: r.refresh_id,
				as_of: r.as_of_day,
				status: 'superseded',
				currency: r.currency,
				steps: r.steps,
				message,
				started_at: r.started_at,
				updated_at: new Date()
			}
		],
		'refresh:record'
	);
}

/**
 * Withdraws every succeeded refresh of a date after `asOf` (its rows deleted, recorded as
 * superseded), so that the latest refresh is the one of `asOf` or earlier: the benchmark replays
 * "the next day" after a refresh of the same date each run.
 */
export async function withdrawRefreshesAfter(db: Db, asOf: string): Promise<string[]> {
	const later = await queryRows<RefreshRecord>(
		db,
		`SELECT refresh_id, toString(as_of) AS as_of_day, currency, steps, toString(started_at) AS started_at
FROM analytics_refreshes FINAL WHERE status = 'succeeded' AND as_of > {as_of:Date}`,
		{ as_of: checkDate(asOf, 'The date') },
		{ tag: 'refresh:withdraw' }
	);
	for (const r of later) {
		await supersede(db, r, `withdrawn: refreshes after ${asOf} were withdrawn`);
	}
	return later.map((r) => r.refresh_id);
}
