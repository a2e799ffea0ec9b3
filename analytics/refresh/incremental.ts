/**
 * Incremental refresh of the base's per-account facts (account_days, account_products,
 * account_periods): copied from the previous refresh for the accounts whose inputs cannot have
 * changed since, recomputed from the core tables for the others. See
 * sql/migrations/0018_incremental_refresh.sql and analytics/README.md ("Incremental refresh").
 *
 * An account's facts as of D depend on its orders (and their lines) through D, its subscriptions,
 * and its attributes in the snapshot. Between the previous refresh P (as of P.D ≤ D) and this
 * one, they can only have changed for accounts with rows written by ingest runs P had not seen
 * finish, with orders dated after P.D, or whose attributes differ between the two snapshots; the
 * dirty-account queries list those (refresh-dirty-orders.sql, refresh-dirty-periods.sql).
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Db } from '../../sql/client.ts';
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import { command, ident, loadQuery, queryOne, queryRows } from '../../sql/query.ts';
import type { RefreshContext } from './context.ts';

/** The queries whose text defines the facts: a change to one makes older facts uncopyable. */
const FACT_QUERIES = [
	'refresh-account-days',
	'refresh-account-products',
	'refresh-account-snapshot',
	'refresh-account-periods',
	'refresh-dirty-orders',
	'refresh-dirty-periods'
] as const;

/**
 * Above this share of the previous refresh's accounts recomputed, the facts are computed whole:
 * copying most rows and recomputing the rest costs more than computing them all.
 */
export const MAX_DIRTY_SHARE = 0.3;

const INSERT_THREADS = Math.min(availableParallelism(), 8);

/** What a refresh's facts were computed under; facts are only copied between equal bases. */
export function factsBasis(ctx: Pick<RefreshContext, 'tz' | 'currency' | 'settings'>): string {
	return createHash('sha256')
		.update(
			JSON.stringify({
				tz: ctx.tz,
				currency: ctx.currency,
				statuses: REVENUE_STATUSES,
				businessModel: ctx.settings.businessModel,
				queries: FACT_QUERIES.map((q) => loadQuery(q))
			})
		)
		.digest('hex')
		.slice(0, 32);
}

/**
 * Records the ingest runs that have finished as this refresh starts: every row they wrote is in
 * the core tables before anything is read. The next refresh treats rows of any other run as new.
 */
export async function recordSeenRuns(db: Db, refreshId: string): Promise<void> {
	await command(
		db,
		`INSERT INTO analytics_refresh_runs (refresh_id, run_id)
SELECT {refresh_id:String}, run_id FROM ingest_runs FINAL WHERE status IN ('succeeded', 'failed')`,
		{ refresh_id: refreshId },
		{ tag: 'refresh:seen-runs' }
	);
}

/** The refresh whose facts this one copies, and what it found to recompute. */
export interface FactsSource {
	readonly refreshId: string;
	readonly asOf: string;
	/** Accounts in the previous refresh's snapshot. */
	readonly accounts: number;
	/** Accounts whose orders or products are recomputed. */
	readonly dirty: number;
	/** The product catalogue changed: account_products (its categories) is computed whole. */
	readonly catalogueChanged: boolean;
}

/** How the base was computed, for the refresh's result and log. */
export type BaseMode =
	| { readonly mode: 'full'; readonly reason: string }
	| {
			readonly mode: 'incremental';
			readonly from: string;
			readonly accounts: number;
			readonly dirtyOrders: number;
			readonly dirtyPeriods: Record<string, number>;
			/** The catalogue changed: account_products was computed whole. */
			readonly productsWhole: boolean;
	  };

type Planned = { source: FactsSource } | { source: null; reason: string };

/**
 * Decides whether this refresh can copy the previous refresh's facts and, when it can, lists the
 * accounts whose orders-derived facts are recomputed (scope 'orders').
 */
export async function planFacts(ctx: RefreshContext, basis: string): Promise<Planned> {
	const previous = ctx.previous;
	if (!previous) return { source: null, reason: 'no earlier refresh to build on' };
	const prev = await queryOne<{ basis: string; accounts: number; facts: number }>(
		ctx.db,
		`SELECT
    (SELECT basis FROM analytics_refreshes FINAL WHERE refresh_id = {id:String} LIMIT 1) AS basis,
    (SELECT count() FROM account_snapshot WHERE refresh_id = {id:String}) AS accounts,
    (SELECT count() FROM (SELECT 1 FROM account_periods WHERE refresh_id = {id:String} LIMIT 1)) AS facts`,
		{ id: previous.refreshId },
		{ tag: 'refresh:plan' }
	);
	if (!prev || prev.basis !== basis) {
		return {
			source: null,
			reason: `refresh ${previous.refreshId} was computed under other settings or queries`
		};
	}
	if (Number(prev.facts) === 0) {
		return { source: null, reason: `the facts of refresh ${previous.refreshId} were dropped` };
	}
	const params = {
		refresh_id: ctx.refreshId,
		previous: previous.refreshId,
		previous_as_of: previous.asOf,
		as_of: ctx.asOf,
		tz: ctx.tz
	};
	await command(ctx.db, loadQuery('refresh-dirty-orders'), params, {
		tag: 'refresh:dirty-orders'
	});
	const counts = await queryOne<{ dirty: number; products: number }>(
		ctx.db,
		`SELECT
    (SELECT count() FROM refresh_dirty_accounts WHERE refresh_id = {refresh_id:String} AND scope = 'orders') AS dirty,
    (SELECT count() FROM products WHERE _run_id NOT IN (SELECT run_id FROM analytics_refresh_runs WHERE refresh_id = {previous:String})) AS products`,
		params,
		{ tag: 'refresh:plan' }
	);
	const accounts = Number(prev.accounts);
	const dirty = Number(counts?.dirty ?? 0);
	if (dirty > MAX_DIRTY_SHARE * accounts) {
		return {
			source: null,
			reason: `${dirty} of ${accounts} accounts have new or changed orders since refresh ${previous.refreshId}`
		};
	}
	return {
		source: {
			refreshId: previous.refreshId,
			asOf: previous.asOf,
			accounts,
			dirty,
			catalogueChanged: Number(counts?.products ?? 0) > 0
		}
	};
}

/** Lists the accounts whose periods of the grain are recomputed; returns how many. */
export async function markDirtyPeriods(
	ctx: RefreshContext,
	source: FactsSource,
	grain: 'month' | 'week'
): Promise<number> {
	const params = {
		refresh_id: ctx.refreshId,
		previous: source.refreshId,
		previous_as_of: source.asOf,
		as_of: ctx.asOf,
		grain,
		business_model: ctx.settings.businessModel
	};
	await command(ctx.db, loadQuery('refresh-dirty-periods'), params, {
		tag: `refresh:dirty-periods-${grain}`
	});
	const row = await queryOne<{ n: number }>(
		ctx.db,
		`SELECT count() AS n FROM refresh_dirty_accounts WHERE refresh_id = {refresh_id:String} AND scope = {scope:String}`,
		{ ...params, scope: `periods-${grain}` },
		{ tag: 'refresh:plan' }
	);
	return Number(row?.n ?? 0);
}

/**
 * Copies the source refresh's rows of a fact table (those matching `where`, a fixed condition)
 * to this refresh, for every account not listed in refresh_dirty_accounts under `scope`.
 */
export async function copyFacts(
	ctx: RefreshContext,
	table: string,
	source: FactsSource,
	scope: string,
	where = '1'
): Promise<void> {
	const columns = await queryRows<{ name: string }>(
		ctx.db,
		'SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
		{ table },
		{ tag: 'refresh:copy' }
	);
	const names = columns.map((c) => c.name);
	if (names[0] !== 'refresh_id') throw new Error(`${table} does not start with refresh_id`);
	const select = names.map((n) => (n === 'refresh_id' ? '{refresh_id:String}' : ident(n)));
	await command(
		ctx.db,
		`INSERT INTO ${ident(table)} (${names.map(ident).join(', ')})
SELECT ${select.join(', ')}
FROM ${ident(table)}
WHERE refresh_id = {source:String} AND ${where}
  AND account_id NOT IN (
    SELECT account_id FROM refresh_dirty_accounts
    WHERE refresh_id = {refresh_id:String} AND scope = {scope:String})`,
		{ refresh_id: ctx.refreshId, source: source.refreshId, scope },
		// Reading is cheap and the rows arrive sorted; writing them (compression) is the work, and
		// more than one writer halves the wall time (18.4M days rows: 3.4 -> 2.3 s on 2 cores).
		{ tag: `refresh:copy-${table}`, settings: { max_insert_threads: String(INSERT_THREADS) } }
	);
}
