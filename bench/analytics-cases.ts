/**
 * What bench:analytics times: the dataset functions the portal calls (each as the portal would,
 * through the latest refresh), and two portable statements run on both ClickHouse and DuckDB.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { accountDetail } from '../analytics/account-detail.ts';
import { healthScores } from '../analytics/health/read.ts';
import { kpis, worklist } from '../analytics/kpis.ts';
import type { RefreshRef } from '../analytics/refresh/state.ts';
import { cohortRetention } from '../analytics/retention/cohorts.ts';
import { crrTrend } from '../analytics/retention/crr.ts';
import { nrrGrr } from '../analytics/retention/nrr.ts';
import { paretoCurve } from '../analytics/segments/pareto.ts';
import { rfmAccounts, rfmSegmentMap } from '../analytics/segments/rfm.ts';
import { npsTrend } from '../analytics/voc/nps.ts';
import { serviceTrend } from '../analytics/voc/service.ts';
import type { Db } from '../sql/client.ts';
import { command, queryRows } from '../sql/query.ts';

export interface BenchFunction {
	readonly name: string;
	run(db: Db, ref: RefreshRef): Promise<unknown>;
}

export interface DuckDbComparison {
	readonly name: string;
	/** Loads the same rows into both engines' native storage. */
	prepare(db: Db, ref: RefreshRef, conn: DuckDBConnection, dir: string): Promise<void>;
	clickhouse(db: Db, ref: RefreshRef): Promise<unknown>;
	duckdb(conn: DuckDBConnection, ref: RefreshRef): Promise<unknown>;
}

/** An account in the middle of the id range, and an owner with a typical book. */
const ACCOUNT = 'A0500000';
const CSM = 'csm0042@demo.tenure.local';

export const BENCH_FUNCTIONS: readonly BenchFunction[] = [
	{
		name: 'cohort matrix (month)',
		run: (db, ref) => cohortRetention(db, { asOf: ref.asOf, grain: 'month' })
	},
	{
		name: 'cohort matrix (month, segment smb)',
		run: (db, ref) =>
			cohortRetention(db, { asOf: ref.asOf, grain: 'month', filters: { segment: ['smb'] } })
	},
	{
		name: 'cohort matrix (quarter)',
		run: (db, ref) => cohortRetention(db, { asOf: ref.asOf, grain: 'quarter' })
	},
	{ name: 'CRR trend (month)', run: (db, ref) => crrTrend(db, { asOf: ref.asOf, grain: 'month' }) },
	{ name: 'NRR/GRR', run: (db, ref) => nrrGrr(db, { asOf: ref.asOf }) },
	{ name: 'RFM segment map', run: (db, ref) => rfmSegmentMap(db, { asOf: ref.asOf }) },
	{
		name: 'RFM accounts, first page',
		run: (db, ref) => rfmAccounts(db, { asOf: ref.asOf, limit: 50 })
	},
	{ name: 'NPS trend (month)', run: (db, ref) => npsTrend(db, { asOf: ref.asOf, grain: 'month' }) },
	{ name: 'service metrics (month)', run: (db, ref) => serviceTrend(db, { asOf: ref.asOf }) },
	{ name: 'Pareto curve', run: (db, ref) => paretoCurve(db, { asOf: ref.asOf }) },
	{ name: 'KPI set', run: (db, ref) => kpis(db, { asOf: ref.asOf }) },
	{
		name: 'KPI set (one CSM)',
		run: (db, ref) => kpis(db, { asOf: ref.asOf, scope: { owners: [CSM] } })
	},
	{
		name: "one account's drill-down",
		run: (db, ref) => accountDetail(db, { asOf: ref.asOf, accountId: ACCOUNT, scope: 'all' })
	},
	{ name: 'worklist, first page', run: (db, ref) => worklist(db, { asOf: ref.asOf, limit: 50 }) },
	{
		name: 'worklist, first page (one CSM)',
		run: (db, ref) => worklist(db, { asOf: ref.asOf, limit: 50, scope: { owners: [CSM] } })
	},
	{
		name: 'health list, first page',
		run: (db, ref) => healthScores(db, { asOf: ref.asOf, limit: 50 })
	}
];

/**
 * Portable SQL (the same text on both engines): the cohort matrix over the month rows of
 * account_periods, and RFM with quintile scores over counted orders in the 365-day lookback.
 */
const COHORT_SQL = `
WITH cells AS (
    SELECT cohort, period, count(*) AS active_accounts, sum(revenue) AS revenue
    FROM bench_periods WHERE active = 1 GROUP BY cohort, period
), sizes AS (
    SELECT cohort, active_accounts AS cohort_size, revenue AS revenue0 FROM cells WHERE period = cohort
)
SELECT c.cohort AS cohort, c.period AS period, s.cohort_size AS cohort_size, c.active_accounts AS active_accounts,
       c.active_accounts / s.cohort_size AS logo_retention,
       CASE WHEN s.revenue0 = 0 THEN NULL ELSE c.revenue / s.revenue0 END AS revenue_retention
FROM cells AS c JOIN sizes AS s ON s.cohort = c.cohort
ORDER BY cohort, period`;

const rfmSql = (asOf: string) => `
WITH a AS (
    SELECT account_id, max(day) AS last_day, sum(orders) AS frequency, sum(revenue) AS monetary
    FROM bench_days
    WHERE day > DATE '${asOf}' - INTERVAL 365 DAY AND day <= DATE '${asOf}'
    GROUP BY account_id
), scored AS (
    SELECT account_id,
           ntile(5) OVER (ORDER BY last_day) AS r,
           ntile(5) OVER (ORDER BY frequency) AS f,
           ntile(5) OVER (ORDER BY monetary) AS m
    FROM a
)
SELECT r, f, m, count(*) AS accounts FROM scored GROUP BY r, f, m ORDER BY r, f, m`;

async function exportParquet(db: Db, file: string, select: string, ref: RefreshRef) {
	await command(
		db,
		`INSERT INTO FUNCTION file({file:String}, 'Parquet') ${select} SETTINGS engine_file_truncate_on_insert = 1`,
		{ file, refresh_id: ref.refreshId },
		{ tag: 'bench:export' }
	);
}

async function chTable(db: Db, name: string, file: string, orderBy: string) {
	await command(db, `DROP TABLE IF EXISTS ${name}`, {}, { tag: 'bench:table' });
	await command(
		db,
		`CREATE TABLE ${name} ENGINE = MergeTree ORDER BY ${orderBy} AS SELECT * FROM file({file:String}, 'Parquet')`,
		{ file },
		{ tag: 'bench:table' }
	);
}

async function duckTable(conn: DuckDBConnection, name: string, file: string) {
	await conn.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${file}')`);
}

export const DUCKDB_COMPARISONS: readonly DuckDbComparison[] = [
	{
		name: 'cohort matrix (month), portable SQL',
		async prepare(db, ref, conn, dir) {
			const file = path.join(dir, 'periods.parquet');
			await exportParquet(
				db,
				file,
				`SELECT cohort, period, account_id, active, toFloat64(revenue) AS revenue FROM account_periods WHERE refresh_id = {refresh_id:String} AND grain = 'month'`,
				ref
			);
			await chTable(db, 'bench_periods', file, '(cohort, period)');
			await duckTable(conn, 'bench_periods', file);
		},
		clickhouse: (db) => queryRows(db, COHORT_SQL, {}, { tag: 'bench:cohort' }),
		duckdb: (conn) => conn.runAndReadAll(COHORT_SQL)
	},
	{
		name: 'RFM quintiles, portable SQL',
		async prepare(db, ref, conn, dir) {
			const file = path.join(dir, 'days.parquet');
			await exportParquet(
				db,
				file,
				`SELECT account_id, day, orders, toFloat64(revenue) AS revenue FROM account_days WHERE refresh_id = {refresh_id:String}`,
				ref
			);
			await chTable(db, 'bench_days', file, '(account_id, day)');
			await duckTable(conn, 'bench_days', file);
		},
		clickhouse: (db, ref) => queryRows(db, rfmSql(ref.asOf), {}, { tag: 'bench:rfm' }),
		duckdb: (conn, ref) => conn.runAndReadAll(rfmSql(ref.asOf))
	}
];
