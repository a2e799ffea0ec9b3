import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setTenantSetting } from '../../analytics/config.ts';
import { AnalyticsError } from '../../analytics/errors.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import {
	averageRetentionCurve,
	cohortCellAccounts,
	cohortRetention,
	crrAccounts,
	crrTrend,
	nrrGrr,
	nrrGrrAccounts,
	nrrGrrTrend,
	RETENTION_DATASETS,
	retentionAtPeriod,
	retentionStep,
	type CohortCell
} from '../../analytics/retention/index.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { loadEntity, orderRow } from '../factories/core.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * Retention on a history small enough to work out by hand: TENURE_TZ Asia/Shanghai, as of
 * 2026-03-15 (a Sunday), default settings (business model both, churn after 180 days without an
 * order, renewal grace 30 days). Every expected number is derived in the comment next to it.
 *
 * Counted orders (local times) and subscriptions per account:
 *   A1 smb/alice       2024-05-10 1000, 2025-01-10 500, 2025-06-01 800
 *                      (+ 2025-06-01 cancelled 999, 2026-01-20 refunded 700: not counted)
 *   A2 mid/bob→carol   2024-06-15 2000, 2025-06-15 3000, 2026-03-01 1000
 *   A3 smb/alice       subscription 2024-04-01..2025-04-30, another from 2025-09-01 (open)
 *   A4 smb/alice       2026-03-10 400 (first order in the as-of month)
 *   A5 enterprise/bob  2025-01-05 600, nothing after (a cohort with no later activity)
 *   A6 smb/alice       2024-09-01 500, 2025-09-01 500
 *   T1 smb/dave        2026-02-01 00:30 100 (16:30 UTC on 01-31: February only locally)
 *   T2 smb/dave        2026-01-31 23:30 100 (January)
 *   C1 smb/dave        only a cancelled order: no activity, in no cohort
 * Active months: A1 2024-05, 2025-01, 2025-06; A2 2024-06, 2025-06, 2026-03; A3 2024-04..2025-04
 * and 2025-09..2026-03; A4 2026-03; A5 2025-01; A6 2024-09, 2025-09; T1 2026-02; T2 2026-01.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const AS_OF = '2026-03-15';

/** YYYY-MM-DD plus n days (to write churn days as "last order + 180"). */
const addDays = (day: string, n: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const account = (id: string, segment: string, owner: string) => ({
	account_id: id,
	name: `Account ${id}`,
	segment,
	region: 'east',
	owner_email: owner,
	created_at: '2024-01-01 00:00:00'
});

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(t.db, files, 'accounts', [
		account('A1', 'smb', 'alice@x.cn'),
		account('A2', 'mid', 'bob@x.cn'),
		account('A3', 'smb', 'alice@x.cn'),
		account('A4', 'smb', 'alice@x.cn'),
		account('A5', 'enterprise', 'bob@x.cn'),
		account('A6', 'smb', 'alice@x.cn'),
		account('T1', 'smb', 'dave@x.cn'),
		account('T2', 'smb', 'dave@x.cn'),
		account('C1', 'smb', 'dave@x.cn')
	]);
	// A2 moves from bob to carol: the refresh sees the later load.
	await loadEntity(t.db, files, 'accounts', [account('A2', 'mid', 'carol@x.cn')]);
	await loadEntity(t.db, files, 'orders', [
		orderRow('O1', 'A1', '2024-05-10 10:00:00', 1000),
		orderRow('O2', 'A1', '2025-01-10 10:00:00', 500),
		orderRow('O3', 'A1', '2025-06-01 10:00:00', 800),
		orderRow('O4', 'A1', '2025-06-01 11:00:00', 999, 'cancelled'),
		orderRow('O5', 'A1', '2026-01-20 10:00:00', 700, 'refunded'),
		orderRow('O6', 'A2', '2024-06-15 10:00:00', 2000),
		orderRow('O7', 'A2', '2025-06-15 10:00:00', 3000),
		orderRow('O8', 'A2', '2026-03-01 10:00:00', 1000),
		orderRow('O9', 'A4', '2026-03-10 10:00:00', 400),
		orderRow('O10', 'A5', '2025-01-05 10:00:00', 600),
		orderRow('O11', 'A6', '2024-09-01 10:00:00', 500),
		orderRow('O12', 'A6', '2025-09-01 10:00:00', 500),
		orderRow('O13', 'T1', '2026-02-01 00:30:00', 100),
		orderRow('O14', 'T2', '2026-01-31 23:30:00', 100),
		orderRow('O15', 'C1', '2025-10-01 10:00:00', 300, 'cancelled')
	]);
	await loadEntity(t.db, files, 'subscriptions', [
		{
			subscription_id: 'S1',
			account_id: 'A3',
			plan: 'pro',
			start_date: '2024-04-01',
			end_date: '2025-04-30',
			mrr: '100.00',
			currency: 'CNY',
			renewal_status: 'cancelled'
		},
		{
			subscription_id: 'S2',
			account_id: 'A3',
			plan: 'pro',
			start_date: '2025-09-01',
			end_date: null,
			mrr: '100.00',
			currency: 'CNY',
			renewal_status: 'active'
		}
	]);
	await refreshAnalytics(t.db, { asOf: AS_OF, steps: [retentionStep] });
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

const cellsOf = (matrix: CohortCell[], cohort: string) => matrix.filter((c) => c.cohort === cohort);

describe('monthly cohorts', () => {
	test('cohorts are the months of first activity; cancelled-only accounts have none', async () => {
		const m = await cohortRetention(t.db, { grain: 'month' });
		const sizes = Object.fromEntries(
			m.filter((c) => c.periodIndex === 0).map((c) => [c.cohort, c.cohortSize])
		);
		expect(sizes).toEqual({
			'2024-04-01': 1, // A3 (subscription start)
			'2024-05-01': 1, // A1
			'2024-06-01': 1, // A2
			'2024-09-01': 1, // A6
			'2025-01-01': 1, // A5
			'2026-01-01': 1, // T2 (23:30 on 01-31 is January)
			'2026-02-01': 1, // T1 (00:30 on 02-01 is February locally, though January in UTC)
			'2026-03-01': 1 // A4
		});
	});

	test('a cohort with no later activity has zero cells up to the as-of month, none after', async () => {
		const a5 = cellsOf(await cohortRetention(t.db, { grain: 'month' }), '2025-01-01');
		// 2025-01 … 2026-03: period indexes 0 … 14.
		expect(a5.map((c) => c.periodIndex)).toEqual([...Array(15).keys()]);
		expect(a5[0]).toMatchObject({
			cohortSize: 1,
			activeAccounts: 1,
			logoRetention: 1,
			revenue: '600.00',
			revenueRetention: 1,
			partial: false
		});
		for (const c of a5.slice(1)) {
			expect(c).toMatchObject({
				activeAccounts: 0,
				logoRetention: 0,
				revenue: '0.00',
				revenueRetention: 0
			});
		}
		expect(a5.map((c) => c.partial)).toEqual([...Array(14).fill(false), true]);
		expect(a5[14]!.period).toBe('2026-03-01');
	});

	test('the account whose first order is in the as-of month is one partial cell', async () => {
		const a4 = cellsOf(await cohortRetention(t.db, { grain: 'month' }), '2026-03-01');
		expect(a4).toEqual([
			{
				cohort: '2026-03-01',
				periodIndex: 0,
				period: '2026-03-01',
				cohortSize: 1,
				activeAccounts: 1,
				logoRetention: 1,
				revenue: '400.00',
				revenueRetention: 1,
				partial: true
			}
		]);
	});

	test('cancelled and refunded orders are neither revenue nor activity', async () => {
		const a1 = cellsOf(await cohortRetention(t.db, { grain: 'month' }), '2024-05-01');
		// 2025-06 is index 13: only the completed 800, not the cancelled 999.
		expect(a1[13]).toMatchObject({ activeAccounts: 1, revenue: '800.00', revenueRetention: 0.8 });
		// 2026-01 is index 20: only a refunded order.
		expect(a1[20]).toMatchObject({ activeAccounts: 0, revenue: '0.00' });
		// 2025-01 is index 8: 500 of a 1000 base.
		expect(a1[8]).toMatchObject({ activeAccounts: 1, revenue: '500.00', revenueRetention: 0.5 });
	});

	test('subscription activity counts; revenue retention is null without period-0 revenue', async () => {
		const a3 = cellsOf(await cohortRetention(t.db, { grain: 'month' }), '2024-04-01');
		// 2024-04 … 2026-03 = indexes 0 … 23; active 0..12 (to 2025-04) and 17..23 (from 2025-09).
		expect(a3).toHaveLength(24);
		expect(a3.filter((c) => c.activeAccounts === 1).map((c) => c.periodIndex)).toEqual([
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 17, 18, 19, 20, 21, 22, 23
		]);
		expect(a3.every((c) => c.revenueRetention === null)).toBe(true);
	});

	test('maxPeriods keeps period indexes 0..maxPeriods', async () => {
		const m = await cohortRetention(t.db, { grain: 'month', maxPeriods: 2 });
		expect(Math.max(...m.map((c) => c.periodIndex))).toBe(2);
		// T2 (2026-01) reaches index 2 = the as-of month; A4 only index 0.
		expect(cellsOf(m, '2026-01-01').map((c) => c.partial)).toEqual([false, false, true]);
		expect(cellsOf(m, '2024-04-01')).toHaveLength(3);
	});
});

describe('filters, scope and owners', () => {
	test('an account that moved owners counts under the new owner only', async () => {
		const carol = await cohortRetention(t.db, {
			grain: 'month',
			filters: { owner: ['carol@x.cn'] }
		});
		expect([...new Set(carol.map((c) => c.cohort))]).toEqual(['2024-06-01']); // A2
		const bob = await cohortRetention(t.db, { grain: 'month', filters: { owner: ['bob@x.cn'] } });
		expect([...new Set(bob.map((c) => c.cohort))]).toEqual(['2025-01-01']); // A5 only
	});

	test('filters and scope narrow cohorts, CRR and NRR', async () => {
		const enterprise = await cohortRetention(t.db, {
			grain: 'month',
			filters: { segment: ['enterprise'] }
		});
		expect(enterprise.filter((c) => c.periodIndex === 0).map((c) => c.cohort)).toEqual([
			'2025-01-01'
		]);
		const alice = { owners: ['alice@x.cn'] };
		// Alice's accounts A1, A3, A4, A6: in 2026-03 E = {A3, A4}, N = {A4}, S = {A3} (2026-02).
		const crr = await crrTrend(t.db, { grain: 'month', periods: 1, scope: alice });
		expect(crr[0]).toMatchObject({ period: '2026-03-01', s: 1, e: 2, n: 1, crr: (2 - 1) / 1 });
		// Base A1 1500 (1000 + 500), A6 500; current A1 800, A6 500.
		const nrr = await nrrGrr(t.db, { scope: alice });
		expect(nrr).toMatchObject({
			baseAccounts: 2,
			baseRevenue: '2000.00',
			currentRevenue: '1300.00',
			cappedRevenue: '1300.00',
			nrr: 1300 / 2000,
			grr: 1300 / 2000
		});
		const none = await nrrGrr(t.db, { scope: { owners: [] } });
		expect(none).toMatchObject({ baseAccounts: 0, baseRevenue: '0.00', nrr: null, grr: null });
	});
});

describe('week and quarter grains', () => {
	test('weekly cohorts (Monday weeks) of the last 52 weeks', async () => {
		const w = await cohortRetention(t.db, { grain: 'week' });
		// T2 (Sat 2026-01-31) and T1 (Sun 2026-02-01) share the week of Monday 2026-01-26; A4
		// (Tue 2026-03-10) is in the as-of week (Monday 2026-03-09). Older accounts started before
		// 2026-03-15 − 52 weeks.
		const cohorts = w.filter((c) => c.periodIndex === 0);
		expect(cohorts.map((c) => [c.cohort, c.cohortSize, c.revenue])).toEqual([
			['2026-01-26', 2, '200.00'],
			['2026-03-09', 1, '400.00']
		]);
		// 2026-01-26 → 2026-03-09 is 42 days = 6 weeks: indexes 0..6, the last partial, 1..6 empty.
		const jan = cellsOf(w, '2026-01-26');
		expect(jan.map((c) => c.activeAccounts)).toEqual([2, 0, 0, 0, 0, 0, 0]);
		expect(jan.at(-1)).toMatchObject({ periodIndex: 6, period: '2026-03-09', partial: true });
	});

	test('quarterly cohorts count an account once per quarter', async () => {
		const q = await cohortRetention(t.db, { grain: 'quarter' });
		const q2 = cellsOf(q, '2024-04-01');
		// 2024-Q2: A3 (Apr), A1 (May), A2 (Jun); revenue 1000 + 2000.
		expect(q2[0]).toMatchObject({ cohortSize: 3, activeAccounts: 3, revenue: '3000.00' });
		// Index 3 = 2025-Q1: A3 (subscription) and A1 (500).
		expect(q2[3]).toMatchObject({ activeAccounts: 2, revenue: '500.00' });
		// Index 4 = 2025-Q2: A3 (April), A1 (800), A2 (3000): 3 of 3.
		expect(q2[4]).toMatchObject({ activeAccounts: 3, logoRetention: 1, revenue: '3800.00' });
		// Index 7 = 2026-Q1 (partial): A3 and A2 (1000); A1's refunded order does not count.
		expect(q2).toHaveLength(8);
		expect(q2[7]).toMatchObject({
			activeAccounts: 2,
			logoRetention: 2 / 3,
			revenue: '1000.00',
			revenueRetention: 1000 / 3000,
			partial: true
		});
		// 2026-Q1 cohort: T2, T1, A4 with 100 + 100 + 400.
		expect(cellsOf(q, '2026-01-01')).toEqual([
			expect.objectContaining({
				cohortSize: 3,
				activeAccounts: 3,
				revenue: '600.00',
				partial: true
			})
		]);
	});
});

describe('curve, one interval and the accounts behind a cell', () => {
	test('average curve weights by cohort size over cohorts with a complete cell', async () => {
		const curve = await averageRetentionCurve(t.db, { grain: 'quarter' });
		// Index 1, complete cells: 2024-Q2 (3 accounts, A3 active in Q3), 2024-Q3 (A6, inactive in
		// Q4), 2025-Q1 (A5, inactive in Q2): 1 of 5. Revenue: 0 of 3000 + 500 + 600.
		expect(curve[1]).toMatchObject({
			periodIndex: 1,
			cohorts: 3,
			accounts: 5,
			activeAccounts: 1,
			logoRetention: 1 / 5,
			revenue: '0.00',
			baseRevenue: '4100.00',
			revenueRetention: 0
		});
		// Index 0 leaves out the partial 2026-Q1 cohort: 2024-Q2, 2024-Q3, 2025-Q1 = 5 accounts.
		expect(curve[0]).toMatchObject({ cohorts: 3, accounts: 5, logoRetention: 1 });
	});

	test('retention at one period index across cohorts', async () => {
		const at = await retentionAtPeriod(t.db, { grain: 'quarter', periodIndex: 4 });
		// Cohorts that reached index 4: 2024-Q2 (→ 2025-Q2), 2024-Q3 (→ 2025-Q3, A6 active) and
		// 2025-Q1 (→ 2026-Q1, the partial as-of quarter: A5 inactive).
		expect(at.cells.map((c) => [c.cohort, c.activeAccounts, c.partial])).toEqual([
			['2024-04-01', 3, false],
			['2024-07-01', 1, false],
			['2025-01-01', 0, true]
		]);
		// The average leaves the partial cell out: (3 + 1) / (3 + 1).
		expect(at.average).toMatchObject({
			cohorts: 2,
			accounts: 4,
			activeAccounts: 4,
			logoRetention: 1
		});
	});

	test('the active and lapsed accounts of a cell', async () => {
		const active = await cohortCellAccounts(t.db, {
			grain: 'quarter',
			cohort: '2024-04-01',
			periodIndex: 7
		});
		expect(active.total).toBe(2);
		expect(active.rows).toEqual([
			{
				accountId: 'A2',
				name: 'Account A2',
				ownerEmail: 'carol@x.cn',
				segment: 'mid',
				revenue: '1000.00'
			},
			{
				accountId: 'A3',
				name: 'Account A3',
				ownerEmail: 'alice@x.cn',
				segment: 'smb',
				revenue: '0.00'
			}
		]);
		const lapsed = await cohortCellAccounts(t.db, {
			grain: 'quarter',
			cohort: '2024-04-01',
			periodIndex: 7,
			active: false
		});
		expect(lapsed.rows.map((r) => r.accountId)).toEqual(['A1']);
		const monthLapsed = await cohortCellAccounts(t.db, {
			grain: 'month',
			cohort: '2025-01-01',
			periodIndex: 3,
			active: false
		});
		expect(monthLapsed.rows.map((r) => r.accountId)).toEqual(['A5']);
		const paged = await cohortCellAccounts(t.db, {
			grain: 'quarter',
			cohort: '2024-04-01',
			periodIndex: 7,
			limit: 1,
			offset: 1
		});
		expect(paged).toMatchObject({ total: 2, rows: [{ accountId: 'A3' }] });
	});

	test('a cell in the future or a cohort that is not a period start is an error to act on', async () => {
		await expect(
			cohortCellAccounts(t.db, { grain: 'month', cohort: '2026-03-01', periodIndex: 1 })
		).rejects.toThrow(/after the refresh date 2026-03-15/);
		await expect(
			cohortCellAccounts(t.db, { grain: 'month', cohort: '2026-03-02', periodIndex: 0 })
		).rejects.toThrow(AnalyticsError);
	});
});

describe('churn episodes (refresh step retention)', () => {
	test('every churn, including churn-and-return, on the day the definitions give', async () => {
		const events = await rows<{
			account_id: string;
			churn_day: string;
			last_activity: string;
			returned_on: string | null;
		}>(
			t.db,
			`SELECT account_id, toString(churn_day) AS churn_day, toString(last_activity) AS last_activity,
			        if(returned_on IS NULL, NULL, toString(returned_on)) AS returned_on
			 FROM account_churn_events ORDER BY account_id, churn_day`
		);
		expect(events).toEqual([
			// 245 days to the next order: churned 180 days after 2024-05-10, back on 2025-01-10.
			{
				account_id: 'A1',
				churn_day: addDays('2024-05-10', 180),
				last_activity: '2024-05-10',
				returned_on: '2025-01-10'
			},
			{
				account_id: 'A1',
				churn_day: addDays('2025-06-01', 180),
				last_activity: '2025-06-01',
				returned_on: null
			},
			{
				account_id: 'A2',
				churn_day: addDays('2024-06-15', 180),
				last_activity: '2024-06-15',
				returned_on: '2025-06-15'
			},
			{
				account_id: 'A2',
				churn_day: addDays('2025-06-15', 180),
				last_activity: '2025-06-15',
				returned_on: '2026-03-01'
			},
			// Subscription end + 30 days of grace; a new subscription on 2025-09-01.
			{
				account_id: 'A3',
				churn_day: addDays('2025-04-30', 30),
				last_activity: '2025-04-30',
				returned_on: '2025-09-01'
			},
			{
				account_id: 'A5',
				churn_day: addDays('2025-01-05', 180),
				last_activity: '2025-01-05',
				returned_on: null
			},
			{
				account_id: 'A6',
				churn_day: addDays('2024-09-01', 180),
				last_activity: '2024-09-01',
				returned_on: '2025-09-01'
			},
			// 2025-09-01 + 180 = 2026-02-28 ≤ 2026-03-15.
			{
				account_id: 'A6',
				churn_day: addDays('2025-09-01', 180),
				last_activity: '2025-09-01',
				returned_on: null
			}
		]);
	});

	test('the accounts churned now are exactly those the snapshot calls churned', async () => {
		const open = await rows<{ account_id: string }>(
			t.db,
			`SELECT account_id FROM account_churn_events WHERE returned_on IS NULL ORDER BY account_id`
		);
		const snap = await rows<{ account_id: string }>(
			t.db,
			`SELECT account_id FROM account_snapshot WHERE churned = 1 ORDER BY account_id`
		);
		expect(open.map((r) => r.account_id)).toEqual(['A1', 'A5', 'A6']);
		expect(snap).toEqual(open);
	});
});

describe('CRR and churn rate', () => {
	test('monthly', async () => {
		const m = await crrTrend(t.db, { grain: 'month', periods: 11 });
		const at = (p: string) => m.find((x) => x.period === p);
		expect(m).toHaveLength(11);
		expect(m[0]!.period).toBe('2025-05-01');
		// 2025-05: S = {A3} (April), E = ∅, N = ∅ → CRR 0; A3 churns 2025-05-30 → rate 1/1.
		expect(at('2025-05-01')).toMatchObject({ s: 1, e: 0, n: 0, crr: 0, churned: 1, churnRate: 1 });
		// 2025-06: S = ∅ (nobody active in May) → CRR and churn rate null; E = {A1, A2}.
		expect(at('2025-06-01')).toMatchObject({ s: 0, e: 2, n: 0, crr: null, churnRate: null });
		// 2025-12: S = E = {A3}; A2 churns 2025-12-12.
		expect(at('2025-12-01')).toMatchObject({ s: 1, e: 1, n: 0, crr: 1, churned: 1, churnRate: 1 });
		// 2026-02: S = {A3, T2}, E = {A3, T1}, N = {T1} → (2 − 1)/2; A6 churns 2026-02-28.
		expect(at('2026-02-01')).toMatchObject({
			s: 2,
			e: 2,
			n: 1,
			crr: (2 - 1) / 2,
			churned: 1,
			churnRate: 1 / 2,
			partial: false
		});
		// 2026-03 (partial): S = {A3, T1}, E = {A2, A3, A4}, N = {A4} → (3 − 1)/2.
		expect(at('2026-03-01')).toMatchObject({
			s: 2,
			e: 3,
			n: 1,
			crr: 1,
			churned: 0,
			churnRate: 0,
			partial: true
		});
	});

	test('quarterly and yearly', async () => {
		const q = await crrTrend(t.db, { grain: 'quarter', periods: 2 });
		expect(q).toEqual([
			// 2025-Q4: S = {A3, A6} (Q3), E = {A3}; A1 (11-28) and A2 (12-12) churn.
			{
				period: '2025-10-01',
				s: 2,
				e: 1,
				n: 0,
				crr: 0.5,
				churned: 2,
				churnRate: 1,
				partial: false
			},
			// 2026-Q1: S = {A3}, E = {A3, T2, T1, A2, A4}, N = {T2, T1, A4} → (5 − 3)/1; A6 churns.
			{ period: '2026-01-01', s: 1, e: 5, n: 3, crr: 2, churned: 1, churnRate: 1, partial: true }
		]);
		const y = await crrTrend(t.db, { grain: 'year', periods: 2 });
		// 2025: S = 2024's {A1, A2, A3, A6}, E = {A1, A2, A3, A5, A6}, N = {A5};
		// churned A6 (02-28), A3 (05-30), A5 (07-04), A1 (11-28), A2 (12-12).
		expect(y[0]).toMatchObject({ period: '2025-01-01', s: 4, e: 5, n: 1, crr: (5 - 1) / 4 });
		expect(y[0]).toMatchObject({ churned: 5, churnRate: 5 / 4 });
	});

	test('the accounts behind each number', async () => {
		const ids = async (kind: Parameters<typeof crrAccounts>[1]['kind'], period = '2026-03-01') =>
			(await crrAccounts(t.db, { grain: 'month', period, kind })).rows.map((r) => r.accountId);
		// S = {A3, T1}: neither has revenue in March, so by id.
		expect(await ids('start')).toEqual(['A3', 'T1']);
		expect(await ids('new')).toEqual(['A4']);
		// E − N = {A2 (1000 in March), A3 (0)}.
		expect(await ids('retained')).toEqual(['A2', 'A3']);
		expect(await ids('lost')).toEqual(['T1']);
		const churned = await crrAccounts(t.db, {
			grain: 'month',
			period: '2025-12-01',
			kind: 'churned'
		});
		expect(churned.rows).toEqual([
			{
				accountId: 'A2',
				name: 'Account A2',
				ownerEmail: 'carol@x.cn',
				segment: 'mid',
				revenue: null,
				churnDay: '2025-12-12',
				lastActivity: '2025-06-15',
				returnedOn: '2026-03-01'
			}
		]);
	});
});

describe('NRR and GRR', () => {
	test('as of the refresh date', async () => {
		// Base window (2025-03-15 − 12m, 2025-03-15]: A1 1000 + 500, A2 2000, A5 600, A6 500.
		// Current (2025-03-15, 2026-03-15]: A1 800, A2 3000 + 1000, A5 0, A6 500.
		const base = 1500 + 2000 + 600 + 500;
		const current = 800 + 4000 + 0 + 500;
		const capped = 800 + 2000 + 0 + 500;
		expect(await nrrGrr(t.db)).toEqual({
			asOf: AS_OF,
			baseAccounts: 4,
			baseRevenue: `${base}.00`,
			currentRevenue: `${current}.00`,
			cappedRevenue: `${capped}.00`,
			nrr: current / base,
			grr: capped / base,
			churned: 1, // A5
			contracted: 1, // A1
			expanded: 1, // A2
			flat: 1 // A6
		});
	});

	test('the accounts behind each count', async () => {
		const of = async (kind: 'churned' | 'contracted' | 'expanded' | 'flat') =>
			(await nrrGrrAccounts(t.db, { kind })).rows.map((r) => [
				r.accountId,
				r.baseRevenue,
				r.currentRevenue
			]);
		expect(await of('churned')).toEqual([['A5', '600.00', '0.00']]);
		expect(await of('contracted')).toEqual([['A1', '1500.00', '800.00']]);
		expect(await of('expanded')).toEqual([['A2', '2000.00', '4000.00']]);
		expect(await of('flat')).toEqual([['A6', '500.00', '500.00']]);
	});

	test('monthly trend over calendar-month windows', async () => {
		const trend = await nrrGrrTrend(t.db, { months: 10 });
		expect(trend.map((m) => m.month)).toEqual([
			'2025-06-01',
			'2025-07-01',
			'2025-08-01',
			'2025-09-01',
			'2025-10-01',
			'2025-11-01',
			'2025-12-01',
			'2026-01-01',
			'2026-02-01',
			'2026-03-01'
		]);
		// 2025-06: base months 2023-07..2024-06: A1 1000, A2 2000; current 2024-07..2025-06:
		// A1 500 + 800 = 1300, A2 3000.
		expect(trend[0]).toMatchObject({
			baseAccounts: 2,
			baseRevenue: '3000.00',
			currentRevenue: '4300.00',
			cappedRevenue: '3000.00',
			nrr: 4300 / 3000,
			grr: 1,
			expanded: 2,
			partial: false
		});
		// 2026-02: base 2024-03..2025-02 = A1 1500, A2 2000, A5 600, A6 500; current
		// 2025-03..2026-02 = A1 800, A2 3000, A5 0, A6 500 (A2's March order not yet).
		expect(trend[8]).toMatchObject({
			baseAccounts: 4,
			baseRevenue: '4600.00',
			currentRevenue: '4300.00',
			cappedRevenue: '3300.00',
			churned: 1,
			contracted: 1,
			expanded: 1,
			flat: 1
		});
		// 2026-03 (partial) has the same windows as the trailing ones here: 5300 / 4600.
		expect(trend[9]).toMatchObject({ currentRevenue: '5300.00', partial: true });
	});
});

describe('datasets', () => {
	test('each dataset yields rows with exactly its columns', async () => {
		for (const ds of RETENTION_DATASETS) {
			const pages = [];
			for await (const page of ds.run(t.db, { asOf: AS_OF })) pages.push(...page);
			expect(pages.length, ds.name).toBeGreaterThan(0);
			for (const r of pages) expect(Object.keys(r), ds.name).toEqual(ds.columns);
		}
		const crr = RETENTION_DATASETS.find((d) => d.name === 'crr')!;
		const years = [];
		for await (const page of crr.run(t.db, { options: { grain: 'year' } })) years.push(...page);
		expect(years.at(-1)).toMatchObject({ period: '2026-01-01', partial: true });
		const bad = crr.run(t.db, { options: { grain: 'day' } })[Symbol.asyncIterator]();
		await expect(bad.next()).rejects.toThrow(/Unknown grain 'day'/);
	});

	test('a date that was never refreshed is an error saying what to run', async () => {
		await expect(cohortRetention(t.db, { grain: 'month', asOf: '2026-01-01' })).rejects.toThrow(
			/tenure refresh --as-of 2026-01-01/
		);
	});
});

describe('properties over a seeded random history', () => {
	const LATER = '2026-06-30';
	let refreshId = '';
	/** Accounts with activity: the 8 hand-built ones plus the random ones with a counted order or a subscription. */
	let withActivity = 8;

	beforeAll(async () => {
		// mulberry32: a fixed seed, so a failure reproduces.
		let seed = 20260315;
		const rand = () => {
			seed = (seed + 0x6d2b79f5) | 0;
			let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
			x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
			return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
		};
		const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
		const day = () => addDays('2024-01-01', Math.floor(rand() * 912)); // to 2026-06-30
		const accounts = [];
		const orders = [];
		const subs = [];
		for (let i = 1; i <= 40; i++) {
			const id = `R${String(i).padStart(2, '0')}`;
			accounts.push(
				account(id, pick(['smb', 'mid', 'enterprise']), pick(['alice@x.cn', 'erin@x.cn']))
			);
			let active = false;
			const n = Math.floor(rand() * 7);
			for (let j = 0; j < n; j++) {
				const status = pick(['completed', 'paid', 'shipped', 'cancelled', 'refunded']);
				active ||= ['completed', 'paid', 'shipped'].includes(status);
				orders.push(
					orderRow(`${id}-${j}`, id, `${day()} 12:00:00`, 50 + Math.floor(rand() * 950), status)
				);
			}
			if (rand() < 0.2) {
				const start = day();
				const open = rand() < 0.3;
				subs.push({
					subscription_id: `${id}-S`,
					account_id: id,
					plan: 'pro',
					start_date: start,
					end_date: open ? null : addDays(start, 30 + Math.floor(rand() * 400)),
					mrr: '100.00',
					currency: 'CNY',
					renewal_status: open ? 'active' : 'cancelled'
				});
				active = true;
			}
			if (active) withActivity++;
		}
		await loadEntity(t.db, files, 'accounts', accounts);
		await loadEntity(t.db, files, 'orders', orders);
		await loadEntity(t.db, files, 'subscriptions', subs);
		refreshId = (await refreshAnalytics(t.db, { asOf: LATER, steps: [retentionStep] })).refreshId;
	});

	test('cohort sizes add up to the accounts with activity; logo retention in [0, 1]', async () => {
		for (const grain of ['month', 'quarter'] as const) {
			const m = await cohortRetention(t.db, { grain, asOf: LATER });
			const size = m.filter((c) => c.periodIndex === 0).reduce((s, c) => s + c.cohortSize, 0);
			expect(size, grain).toBe(withActivity);
			for (const c of m) {
				expect(c.logoRetention).toBeGreaterThanOrEqual(0);
				expect(c.logoRetention).toBeLessThanOrEqual(1);
				expect(c.activeAccounts).toBeLessThanOrEqual(c.cohortSize);
			}
		}
	});

	test('quarterly cells equal distinct counts of the accounts in each quarter', async () => {
		// The quarter flags of the month rows against a distinct count over the same rows, under
		// the default business model and under "subscriptions", where months with order revenue
		// but no subscription are rows that are not active.
		const independent = async (id: string) =>
			new Map(
				(
					await rows<{ cell: string; accounts: number; active: number }>(
						t.db,
						`SELECT concat(toString(toStartOfQuarter(cohort)), '/', toString(toStartOfQuarter(period))) AS cell,
						        uniqExact(account_id) AS accounts, uniqExactIf(account_id, active = 1) AS active
						 FROM account_periods WHERE refresh_id = '${id}' AND grain = 'month' GROUP BY cell`
					)
				).map((r) => [r.cell, [Number(r.accounts), Number(r.active)]])
			);
		const check = async (id: string) => {
			const expected = await independent(id);
			const cells = (await cohortRetention(t.db, { grain: 'quarter', asOf: LATER })).filter(
				(c) => c.cohortSize > 0
			);
			let compared = 0;
			for (const c of cells) {
				const e = expected.get(`${c.cohort}/${c.period}`);
				if (!e) {
					expect([c.cohort, c.period, c.activeAccounts]).toEqual([c.cohort, c.period, 0]);
					continue;
				}
				expect([c.cohort, c.period, c.activeAccounts]).toEqual([c.cohort, c.period, e[1]]);
				compared++;
			}
			expect(compared).toBe(expected.size);
			return cells;
		};
		await check(refreshId);
		await setTenantSetting(t.db, 'business_model', 'subscriptions');
		try {
			const sub = await refreshAnalytics(t.db, { asOf: LATER, steps: [retentionStep] });
			const [inactive] = await rows<{ n: number }>(
				t.db,
				`SELECT count() AS n FROM account_periods WHERE refresh_id = '${sub.refreshId}' AND grain = 'month' AND active = 0`
			);
			expect(Number(inactive?.n)).toBeGreaterThan(0);
			await check(sub.refreshId);
		} finally {
			await setTenantSetting(t.db, 'business_model', 'both');
			refreshId = (await refreshAnalytics(t.db, { asOf: LATER, steps: [retentionStep] })).refreshId;
		}
	});

	test('GRR ≤ NRR and GRR ≤ 1, overall, per segment and per month', async () => {
		const points = [
			await nrrGrr(t.db, { asOf: LATER }),
			...(await Promise.all(
				['smb', 'mid', 'enterprise'].map((s) =>
					nrrGrr(t.db, { asOf: LATER, filters: { segment: [s] } })
				)
			)),
			...(await nrrGrrTrend(t.db, { asOf: LATER, months: 18 }))
		];
		expect(points[0]!.baseAccounts).toBeGreaterThan(0);
		for (const p of points) {
			if (p.grr === null) continue;
			expect(p.grr).toBeLessThanOrEqual(p.nrr! + 1e-12);
			expect(p.grr).toBeLessThanOrEqual(1);
			expect(p.churned + p.contracted + p.expanded + p.flat).toBe(p.baseAccounts);
		}
	});

	test('CRR counts are consistent and the open churns match the snapshot', async () => {
		for (const p of await crrTrend(t.db, { grain: 'month', asOf: LATER, periods: 24 })) {
			expect(p.n).toBeLessThanOrEqual(p.e);
			expect(p.churnRate === null).toBe(p.s === 0);
		}
		const open = await rows<{ account_id: string }>(
			t.db,
			`SELECT account_id FROM account_churn_events
			 WHERE refresh_id = '${refreshId}' AND returned_on IS NULL ORDER BY account_id`
		);
		const snap = await rows<{ account_id: string }>(
			t.db,
			`SELECT account_id FROM account_snapshot
			 WHERE refresh_id = '${refreshId}' AND churned = 1 ORDER BY account_id`
		);
		expect(open).toEqual(snap);
		expect(snap.length).toBeGreaterThan(0);
	});
});
