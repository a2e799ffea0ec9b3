import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountList } from '../../analytics/accounts.ts';
import { setTenantSetting } from '../../analytics/config.ts';
import { AnalyticsError } from '../../analytics/errors.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import { findRefresh, requireRefresh } from '../../analytics/refresh/state.ts';
import { FilterError } from '../../analytics/scope.ts';
import { loadEntity, orderRow } from '../factories/core.ts';
import { count, openTestDb, rows } from '../factories/db.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * The refresh base (account_snapshot, account_periods, account_products) and the refresh
 * mechanics, on a history worked out by hand. TENURE_TZ Asia/Shanghai, as of 2026-06-30, default
 * settings: churn after 180 days without an order, renewal grace 30 days, business model both,
 * tier A ≥ 50,000 and repurchase > 80 %, tier B ≥ 20,000 or repurchase ≥ 50 %.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const AS_OF = '2026-06-30';

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(t.db, files, 'owners', [
		{ owner_email: 'o1@x.cn', name: 'One', team: 'T1', manager_email: 'm1@x.cn' },
		{ owner_email: 'o2@x.cn', name: 'Two', team: 'T2', manager_email: 'm2@x.cn' }
	]);
	const account = (id: string, owner: string, segment: string) => ({
		account_id: id,
		name: `Account ${id}`,
		segment,
		region: '华东',
		industry: '零售',
		owner_email: owner,
		created_at: '2025-01-01 09:00:00'
	});
	await loadEntity(t.db, files, 'accounts', [
		account('A1', 'o1@x.cn', 'smb'),
		account('A2', 'o2@x.cn', 'smb'),
		account('A3', 'o1@x.cn', 'enterprise'),
		account('S1', 'o2@x.cn', 'enterprise'),
		account('S2', 'o2@x.cn', 'enterprise')
	]);
	await loadEntity(t.db, files, 'products', [
		{ sku: 'P1', name: 'Pump', category: 'devices', list_price: 100, unit_cost: 60 },
		{ sku: 'P2', name: 'Filter', category: 'consumables', list_price: 10, unit_cost: 4 }
	]);
	await loadEntity(t.db, files, 'orders', [
		// 23:30 local on 2025-06-30 is that day in Shanghai (15:30 UTC): outside the trailing 12
		// months (2025-06-30, 2026-06-30], inside the total.
		orderRow('O0', 'A1', '2025-06-30 23:30:00', 7000),
		orderRow('O1', 'A1', '2025-07-15 10:00:00', 30000),
		orderRow('O2', 'A1', '2025-10-10 10:00:00', 10000),
		orderRow('O3', 'A1', '2026-01-05 10:00:00', 10000),
		orderRow('O4', 'A1', '2026-04-20 10:00:00', 5000),
		orderRow('O5', 'A1', '2026-06-01 10:00:00', 99999, 'cancelled'),
		orderRow('O6', 'A1', '2026-06-02 10:00:00', 88888, 'refunded'),
		orderRow('O7', 'A2', '2025-11-01 10:00:00', 25000),
		// After the as-of date: never counted.
		orderRow('O8', 'A2', '2026-07-01 00:10:00', 1000)
	]);
	await loadEntity(t.db, files, 'order_lines', [
		{ order_id: 'O1', line_no: 1, sku: 'P1', quantity: 2, unit_price: 100, net_amount: 200 },
		{ order_id: 'O1', line_no: 2, sku: 'P2', quantity: 1, unit_price: 10, net_amount: 10 },
		{ order_id: 'O2', line_no: 1, sku: 'P2', quantity: 3, unit_price: 10, net_amount: 30 },
		{ order_id: 'O5', line_no: 1, sku: 'P1', quantity: 9, unit_price: 100, net_amount: 900 },
		{ order_id: 'O7', line_no: 1, sku: 'P1', quantity: 1, unit_price: 100, net_amount: 100 }
	]);
	await loadEntity(t.db, files, 'subscriptions', [
		{
			subscription_id: 'S1-1',
			account_id: 'S1',
			plan: 'pro',
			start_date: '2025-01-01',
			end_date: '2025-12-31',
			mrr: 800,
			currency: 'CNY',
			renewal_status: 'cancelled'
		},
		{
			subscription_id: 'S2-1',
			account_id: 'S2',
			plan: 'pro',
			start_date: '2025-07-01',
			end_date: '2026-06-30',
			mrr: 1000,
			currency: 'CNY',
			renewal_status: 'active'
		}
	]);
}, 120_000);

afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

type Snap = Record<string, unknown>;
const snapshot = async (refreshId: string): Promise<Map<string, Snap>> =>
	new Map(
		(
			await rows<Snap>(
				t.db,
				`SELECT account_id, tier, toString(first_activity) AS first_activity, toString(first_order) AS first_order,
				        toString(last_order) AS last_order, orders_total, toString(revenue_total) AS revenue_total,
				        orders_12m, toString(revenue_12m) AS revenue_12m, repurchase_quarters, categories, team,
				        manager_email, subscription_active, toString(mrr) AS mrr, active, churned,
				        toString(churn_day) AS churn_day
				 FROM account_snapshot WHERE refresh_id = '${refreshId}'`
			)
		).map((r) => [String(r.account_id), r])
	);

describe('the account snapshot', () => {
	let refreshId = '';
	beforeAll(async () => {
		refreshId = (await refreshAnalytics(t.db, { asOf: AS_OF, steps: [] })).refreshId;
	});

	test('A1: counted orders only, the local day decides the window, tier A', async () => {
		const a1 = (await snapshot(refreshId)).get('A1')!;
		expect(a1).toMatchObject({
			first_order: '2025-06-30',
			first_activity: '2025-06-30',
			last_order: '2026-04-20',
			// O0..O4; the cancelled O5 and refunded O6 are not orders that count.
			orders_total: 5,
			revenue_total: '62000', // 7000 + 30000 + 10000 + 10000 + 5000
			orders_12m: 4,
			revenue_12m: '55000', // O0 is on 2025-06-30, outside (2025-06-30, 2026-06-30]
			// Quarters ending 06-30, 03-30, 12-30, 09-30 hold O4, O3, O2, O1: 4 of 4.
			repurchase_quarters: 4,
			// 55,000 ≥ 50,000 and 4/4 > 80 %.
			tier: 'A',
			team: 'T1',
			manager_email: 'm1@x.cn',
			// From O1 and O2's lines; O5's line is on a cancelled order.
			categories: ['consumables', 'devices'],
			active: 1,
			churned: 0,
			churn_day: null
		});
	});

	test('A2: 180 days without an order is churned, dated last order + 180; tier B', async () => {
		expect((await snapshot(refreshId)).get('A2')).toMatchObject({
			last_order: '2025-11-01',
			revenue_12m: '25000', // O8 is after the as-of date
			repurchase_quarters: 1,
			// 25,000 ≥ 20,000 (B), below 50,000 (A).
			tier: 'B',
			active: 0,
			churned: 1,
			// 2025-11-01 + 180 days = 2026-04-30.
			churn_day: '2026-04-30'
		});
	});

	test('A3 never bought: neither active nor churned, tier C', async () => {
		expect((await snapshot(refreshId)).get('A3')).toMatchObject({
			first_activity: null,
			active: 0,
			churned: 0,
			tier: 'C'
		});
	});

	test('subscriptions: ended past the grace is churned; ending on D is still active', async () => {
		const snap = await snapshot(refreshId);
		expect(snap.get('S1')).toMatchObject({
			first_activity: '2025-01-01',
			subscription_active: 0,
			churned: 1,
			// 2025-12-31 + 30 days grace = 2026-01-30.
			churn_day: '2026-01-30'
		});
		expect(snap.get('S2')).toMatchObject({
			subscription_active: 1,
			mrr: '1000',
			active: 1,
			churned: 0
		});
	});

	test('month periods: orders and subscription months, from the cohort on', async () => {
		const periods = await rows<{ account_id: string; period: string; revenue: string }>(
			t.db,
			`SELECT account_id, toString(period) AS period, toString(revenue) AS revenue, toString(cohort) AS cohort
			 FROM account_periods WHERE refresh_id = '${refreshId}' AND grain = 'month' AND active
			 ORDER BY account_id, period`
		);
		const months = (id: string) => periods.filter((p) => p.account_id === id).map((p) => p.period);
		expect(months('A1')).toEqual([
			'2025-06-01',
			'2025-07-01',
			'2025-10-01',
			'2026-01-01',
			'2026-04-01'
		]);
		expect(months('A2')).toEqual(['2025-11-01']);
		expect(months('A3')).toEqual([]);
		// 2025-01 … 2025-12 and 2025-07 … 2026-06: twelve months each.
		expect(months('S1')).toHaveLength(12);
		expect(months('S2')).toEqual(
			Array.from({ length: 12 }, (_, i) => {
				const d = new Date(Date.UTC(2025, 6 + i, 1));
				return d.toISOString().slice(0, 10);
			})
		);
		expect(periods.find((p) => p.account_id === 'A1' && p.period === '2025-06-01')?.revenue).toBe(
			'7000'
		);
	});

	test('week periods only for accounts first active in the last 52 weeks', async () => {
		// First activities: A1 2025-06-30, A2 2025-11-01, S1 2025-01-01, S2 2025-07-01. 52 weeks
		// before 2026-06-30 is 2025-07-01: A2 only (S2 starts on that day, not after it).
		const ids = await rows<{ account_id: string }>(
			t.db,
			`SELECT DISTINCT account_id FROM account_periods WHERE refresh_id = '${refreshId}' AND grain = 'week' ORDER BY account_id`
		);
		expect(ids.map((r) => r.account_id)).toEqual(['A2']);
	});

	test('products per account from counted orders', async () => {
		const products = await rows<{ account_id: string; sku: string; orders: number }>(
			t.db,
			`SELECT account_id, sku, orders, toString(quantity) AS quantity FROM account_products
			 WHERE refresh_id = '${refreshId}' ORDER BY account_id, sku`
		);
		expect(products.map((p) => [p.account_id, p.sku, Number(p.orders)])).toEqual([
			['A1', 'P1', 1],
			['A1', 'P2', 2],
			['A2', 'P1', 1]
		]);
	});
});

describe('the account list', () => {
	test('filters, scope and search narrow it; hostile values are only values', async () => {
		const ids = async (opts: Parameters<typeof accountList>[1]) =>
			(await accountList(t.db, { asOf: AS_OF, sort: 'account_id', ...opts })).rows.map(
				(r) => r.accountId
			);
		expect(await ids({})).toEqual(['A1', 'A2', 'A3', 'S1', 'S2']);
		expect(await ids({ filters: { team: ['T1'] } })).toEqual(['A1', 'A3']);
		expect(await ids({ filters: { segment: ['smb'], tier: ['B'] } })).toEqual(['A2']);
		expect(await ids({ filters: { category: ['devices'] } })).toEqual(['A1', 'A2']);
		expect(await ids({ scope: { owners: ['o2@x.cn'] } })).toEqual(['A2', 'S1', 'S2']);
		expect(await ids({ scope: { accountIds: ['A3'] } })).toEqual(['A3']);
		expect(await ids({ scope: {} })).toEqual([]);
		expect(await ids({ status: 'churned' })).toEqual(['A2', 'S1']);
		expect(await ids({ search: 'account s' })).toEqual(['S1', 'S2']);
		expect(await ids({ filters: { owner: ["o1@x.cn' OR 1=1 --"] } })).toEqual([]);
		const page = await accountList(t.db, { asOf: AS_OF, sort: 'revenue_12m', limit: 1 });
		expect([page.total, page.rows[0]?.accountId]).toEqual([5, 'A1']);
		await expect(accountList(t.db, { filters: { segment: ['x'.repeat(201)] } })).rejects.toThrow(
			FilterError
		);
	});

	test('an account moving to another owner is counted under the new one after a refresh', async () => {
		await loadEntity(t.db, files, 'accounts', [
			{
				account_id: 'A3',
				name: 'Account A3',
				segment: 'enterprise',
				region: '华东',
				industry: '零售',
				owner_email: 'o2@x.cn',
				created_at: '2025-01-01 09:00:00'
			}
		]);
		await refreshAnalytics(t.db, { asOf: AS_OF, steps: [] });
		const mine = await accountList(t.db, { asOf: AS_OF, scope: { owners: ['o1@x.cn'] } });
		expect(mine.rows.map((r) => r.accountId)).toEqual(['A1']);
		const theirs = await accountList(t.db, {
			asOf: AS_OF,
			filters: { team: ['T2'] },
			sort: 'account_id'
		});
		expect(theirs.rows.map((r) => r.accountId)).toEqual(['A2', 'A3', 'S1', 'S2']);
	});
});

describe('refresh mechanics', () => {
	test('a second refresh of a date replaces the first; its rows are removed', async () => {
		const first = await refreshAnalytics(t.db, { asOf: '2026-05-31', steps: [] });
		const second = await refreshAnalytics(t.db, { asOf: '2026-05-31', steps: [] });
		expect((await requireRefresh(t.db, '2026-05-31')).refreshId).toBe(second.refreshId);
		expect(
			await count(
				t.db,
				`SELECT count() AS n FROM account_snapshot WHERE refresh_id = '${first.refreshId}'`
			)
		).toBe(0);
		expect(
			await count(
				t.db,
				`SELECT count() AS n FROM account_snapshot WHERE refresh_id = '${second.refreshId}'`
			)
		).toBe(5);
		// The replaced one is recorded as superseded and keeps its currency and start time.
		const [replaced] = await rows<{ status: string; currency: string; started: string }>(
			t.db,
			`SELECT status, currency, toString(started_at) AS started FROM analytics_refreshes FINAL WHERE refresh_id = '${first.refreshId}'`
		);
		expect(replaced).toMatchObject({ status: 'superseded', currency: 'CNY' });
		expect(replaced!.started > '2020-01-01').toBe(true);
	});

	test('a failed refresh is recorded, never read, and leaves no rows', async () => {
		const before = await findRefresh(t.db);
		const err = await refreshAnalytics(t.db, {
			asOf: '2026-06-15',
			steps: [
				{
					name: 'boom',
					tables: [],
					run: () => Promise.reject(new Error('step failed on purpose'))
				}
			]
		}).catch((e: unknown) => e);
		expect((err as Error).message).toBe('step failed on purpose');
		expect(await findRefresh(t.db)).toEqual(before);
		expect(await findRefresh(t.db, '2026-06-15')).toBeNull();
		const failed = await rows<{ refresh_id: string; message: string }>(
			t.db,
			`SELECT refresh_id, message FROM analytics_refreshes FINAL WHERE as_of = '2026-06-15'`
		);
		expect(failed).toHaveLength(1);
		expect(failed[0]!.message).toBe('step failed on purpose');
		expect(
			await count(
				t.db,
				`SELECT count() AS n FROM account_snapshot WHERE refresh_id = '${failed[0]!.refresh_id}'`
			)
		).toBe(0);
	});

	test('a date without a refresh says what to run', async () => {
		await expect(requireRefresh(t.db, '2020-01-01')).rejects.toThrow(
			new AnalyticsError(
				'The analytics have not been computed as of 2020-01-01: run tenure refresh --as-of 2020-01-01 (or pick a date that has been refreshed).'
			)
		);
	});

	test('business model orders: subscriptions make no one active or churned', async () => {
		await setTenantSetting(t.db, 'business_model', 'orders');
		try {
			const r = await refreshAnalytics(t.db, { asOf: AS_OF, steps: [] });
			const snap = await snapshot(r.refreshId);
			expect(snap.get('S1')).toMatchObject({ first_activity: null, active: 0, churned: 0 });
			expect(snap.get('S2')).toMatchObject({ first_activity: null, active: 0, churned: 0 });
			expect(snap.get('A1')).toMatchObject({ active: 1 });
		} finally {
			await setTenantSetting(t.db, 'business_model', 'both');
		}
	});
});
