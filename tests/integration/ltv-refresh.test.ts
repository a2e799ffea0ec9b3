import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ltvSettings, setTenantSetting, SettingError } from '../../analytics/config.ts';
import {
	computeLtv,
	holdoutCheck,
	ltvByAccount,
	ltvDistribution,
	ltvFits,
	LtvError,
	type LtvRefreshResult
} from '../../analytics/ltv/index.ts';
import {
	readPurchaseSummary,
	readSubscriptionAccounts,
	readSubscriptionChurn
} from '../../analytics/ltv/inputs.ts';
import { loadFile } from '../../ingest/load.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { csv, fixtureDir } from '../factories/files.ts';

/**
 * The LTV refresh on a history small enough to work out by hand (TENURE_TZ Asia/Shanghai, as of
 * 2025-03-31, default settings: margin 0.3, renewal grace 30 days, overdue after 1.5 × the median
 * gap). Every expected number below is derived in the comment next to it, not read off the code.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const AS_OF = '2025-03-31';
const TZ = 'Asia/Shanghai';

async function load(entity: string, content: (string | number)[][]): Promise<void> {
	const r = await loadFile(t.db, {
		entity,
		file: files.write(`${entity}-${Date.now()}.csv`, csv(content))
	});
	expect(r.error).toBeUndefined();
	expect(r.rowsRejected).toBe(0);
}

const ACCOUNT_HEADER = ['account_id', 'name', 'segment', 'region', 'industry', 'created_at'];
const ORDER_HEADER = ['order_id', 'account_id', 'ordered_at', 'status', 'currency', 'net_amount'];

beforeAll(async () => {
	t = await openTestDb();
	await load('accounts', [
		ACCOUNT_HEADER,
		...['A1', 'A2', 'A3', 'A4'].map((id) => [
			id,
			`Account ${id}`,
			'smb',
			'华东',
			'零售',
			'2024-01-01 00:00:00'
		]),
		...['S1', 'S3'].map((id) => [
			id,
			`Account ${id}`,
			'enterprise',
			'华南',
			'制造',
			'2024-01-01 00:00:00'
		]),
		...['S2', 'S4', 'S5', 'S6', 'S7'].map((id) => [
			id,
			`Account ${id}`,
			'smb',
			'华南',
			'制造',
			'2024-01-01 00:00:00'
		])
	]);
	await load('orders', [
		ORDER_HEADER,
		// A1: two orders on 01-01 are one purchase day (150); cancelled and refunded orders do not
		// count; the order after the as-of date does not either.
		['O1', 'A1', '2025-01-01 10:00:00', 'completed', 'CNY', '100.00'],
		['O2', 'A1', '2025-01-01 18:00:00', 'paid', 'CNY', '50.00'],
		['O3', 'A1', '2025-01-15 09:00:00', 'shipped', 'CNY', '80.00'],
		['O4', 'A1', '2025-01-20 09:00:00', 'cancelled', 'CNY', '999.00'],
		['O5', 'A1', '2025-02-12 12:00:00', 'completed', 'CNY', '120.00'],
		['O6', 'A1', '2025-02-20 12:00:00', 'refunded', 'CNY', '500.00'],
		['O7', 'A1', '2025-04-02 12:00:00', 'completed', 'CNY', '70.00'],
		// A2: 23:30 on 03-01 in Shanghai is 15:30 UTC, 00:30 on 03-02 is 16:30 UTC on 03-01: in UTC
		// one day, locally two.
		['P1', 'A2', '2025-03-01 23:30:00', 'completed', 'CNY', '40.00'],
		['P2', 'A2', '2025-03-02 00:30:00', 'completed', 'CNY', '60.00'],
		// A3: one order, on the as-of day itself. A4: nothing counted.
		['Q1', 'A3', '2025-03-31 23:59:00', 'completed', 'CNY', '200.00'],
		['Q2', 'A4', '2025-02-01 10:00:00', 'cancelled', 'CNY', '300.00'],
		// S7 is a subscription account that also orders.
		['R1', 'S7', '2025-01-05 10:00:00', 'completed', 'CNY', '90.00']
	]);
	await load('products', [
		['sku', 'name', 'list_price', 'unit_cost'],
		['P-A', 'Printer', '30.00', '20.00'],
		['P-B', 'Labels', '40.00', '10.00']
	]);
	await load('order_lines', [
		['order_id', 'line_no', 'sku', 'quantity', 'unit_price', 'net_amount'],
		// O1: cost 2 × 20 + 1 × 10 = 50 of 100 → gross profit 50.
		['O1', 1, 'P-A', 2, '30.00', '60.00'],
		['O1', 2, 'P-B', 1, '40.00', '40.00'],
		// O3: a product without a known cost → the configured margin: 80 × 0.3 = 24.
		['O3', 1, 'P-X', 1, '80.00', '80.00'],
		// O5: cost 1 × 20 + 3 × 10 = 50 of 120 → gross profit 120 − 50 = 70.
		['O5', 1, 'P-A', 1, '30.00', '30.00'],
		['O5', 2, 'P-B', 3, '30.00', '90.00']
	]);
	await load('subscriptions', [
		[
			'subscription_id',
			'account_id',
			'plan',
			'start_date',
			'end_date',
			'mrr',
			'currency',
			'renewal_status'
		],
		['S1-1', 'S1', 'pro', '2024-01-01', '', '1000.00', 'CNY', 'active'],
		['S2-1', 'S2', 'pro', '2024-01-01', '2024-07-01', '500.00', 'CNY', 'cancelled'],
		['S3-1', 'S3', 'pro', '2024-06-15', '2025-06-15', '300.00', 'CNY', 'active'],
		['S4-1', 'S4', 'pro', '2024-02-01', '2024-08-01', '200.00', 'CNY', 'renewed'],
		['S4-2', 'S4', 'pro', '2024-08-20', '2025-02-20', '250.00', 'CNY', 'cancelled'],
		['S5-1', 'S5', 'pro', '2024-04-10', '2025-03-15', '400.00', 'CNY', 'pending'],
		['S6-1', 'S6', 'pro', '2025-04-10', '', '900.00', 'CNY', 'active'],
		['S7-1', 'S7', 'pro', '2025-03-10', '', '100.00', 'CNY', 'active']
	]);
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

describe('purchase summary (sql/queries/ltv-summary.sql)', () => {
	test('counts purchase days as the published fits do, in the tenant time zone', async () => {
		const settings = await ltvSettings(t.db);
		const s = await readPurchaseSummary(t.db, { asOf: AS_OF, tz: TZ, currency: 'CNY', settings });
		const byId = new Map(s.accountId.map((id, i) => [id, i]));
		expect([...byId.keys()].sort()).toEqual(['A1', 'A2', 'A3', 'S7']);
		const row = (id: string) => {
			const i = byId.get(id)!;
			return {
				x: s.x[i],
				txDays: s.txDays[i],
				TDays: s.TDays[i],
				mx: s.mx[i],
				revenue: s.revenue[i],
				grossProfit: s.grossProfit[i],
				lastDay: s.lastDay[i],
				nextOrderDue: s.nextOrderDue[i],
				overdue: s.overdue[i]
			};
		};
		// A1: purchase days 01-01 (150), 01-15 (80), 02-12 (120): x = 2, t_x = 42 days,
		// T = 03-31 − 01-01 = 89 days, m_x = (80 + 120) / 2 = 100, revenue 350.
		// Gross profit 50 (O1, costs) + 15 (O2, no lines: 50 × 0.3) + 24 (O3) + 70 (O5) = 159.
		// Gaps 14 and 28 days: median 21, next order due 02-12 + 21 = 03-05; 47 days since the last
		// purchase > 1.5 × 21 → overdue.
		expect(row('A1')).toEqual({
			x: 2,
			txDays: 42,
			TDays: 89,
			mx: 100,
			revenue: '350',
			grossProfit: '159',
			lastDay: '2025-02-12',
			nextOrderDue: '2025-03-05',
			overdue: 1
		});
		// A2: local days 03-01 and 03-02 (in UTC both 03-01): x = 1, t_x = 1, T = 30, m_x = 60,
		// gross 100 × 0.3; median gap 1 day, due 03-03, overdue.
		expect(row('A2')).toEqual({
			x: 1,
			txDays: 1,
			TDays: 30,
			mx: 60,
			revenue: '100',
			grossProfit: '30',
			lastDay: '2025-03-02',
			nextOrderDue: '2025-03-03',
			overdue: 1
		});
		// A3: one purchase on the as-of day: x = t_x = T = 0, no m_x, no typical gap.
		expect(row('A3')).toEqual({
			x: 0,
			txDays: 0,
			TDays: 0,
			mx: NaN,
			revenue: '200',
			grossProfit: '60',
			lastDay: '2025-03-31',
			nextOrderDue: null,
			overdue: 0
		});
	});

	test('the time-zone boundary: 23:30 in Shanghai is stored as 15:30 UTC and counts on its local day', async () => {
		expect(
			await rows(t.db, "SELECT toString(ordered_at) AS utc FROM orders FINAL WHERE order_id = 'P1'")
		).toEqual([{ utc: '2025-03-01 15:30:00' }]);
		const settings = await ltvSettings(t.db);
		// As of 03-01 only P1 counts: on 03-01 locally, although P2 is on 03-01 in UTC as well.
		const s = await readPurchaseSummary(t.db, {
			asOf: '2025-03-01',
			tz: TZ,
			currency: 'CNY',
			settings
		});
		const i = s.accountId.indexOf('A2');
		expect([s.x[i], s.TDays[i], s.revenue[i]]).toEqual([0, 0, '40']);
		// Counted in UTC instead, both orders fall on 03-01: one purchase day.
		const utc = await readPurchaseSummary(t.db, {
			asOf: '2025-03-01',
			tz: 'UTC',
			currency: 'CNY',
			settings
		});
		expect(utc.revenue[utc.accountId.indexOf('A2')]).toBe('100');
	});
});

describe('contractual LTV (subscriptions)', () => {
	test('the monthly churn rate pools 12 month-long windows, as worked out by hand', async () => {
		const settings = await ltvSettings(t.db);
		// Windows (as_of − k−1 months, as_of − k months], starts 2024-03-31 … 2025-02-28.
		// Active at a window's start (started, and last end + 30 days still ahead):
		// S1 (open-ended) 12; S2 (ended 2024-07-01, churned 07-31) starts 03-31 … 06-30: 4;
		// S3 (from 2024-06-15) 06-30 … 02-28: 9; S4 (renewed within the grace period, churned
		// 2025-03-22) 12; S5 (from 2024-04-10, ended 2025-03-15, in grace) 04-30 … 02-28: 11;
		// S7 (from 2025-03-10) 0; S6 starts after the as-of date. Σ = 48.
		// Churned: S2 on 2024-07-31, S4 on 2025-03-22 (S4's first end is covered by its renewal).
		expect(await readSubscriptionChurn(t.db, { asOf: AS_OF, currency: 'CNY', settings })).toEqual({
			churned: 2,
			atRisk: 48,
			monthlyRate: 2 / 48
		});
		const accounts = await readSubscriptionAccounts(t.db, {
			asOf: AS_OF,
			currency: 'CNY',
			settings
		});
		// MRR valued: active subscriptions; S5 ended 16 days ago (in grace) keeps its 400; S2 and
		// S4 ended more than 30 days ago: 0.
		expect(Object.fromEntries(accounts.map((a) => [a.accountId, Number(a.mrr)]))).toEqual({
			S1: 1000,
			S2: 0,
			S3: 300,
			S4: 0,
			S5: 400,
			S7: 100
		});
	});
});

describe('computeLtv on too few customers', () => {
	let result: LtvRefreshResult;
	beforeAll(async () => {
		result = await computeLtv(t.db, { asOf: AS_OF });
	});

	test('says in words that the models were not fitted, and still stores what it can', () => {
		expect(result.fitId).toMatch(/^[0-9a-f-]{36}$/);
		expect(result.currency).toBe('CNY');
		expect(result.accounts).toEqual({ total: 9, orders: 3, subscriptions: 6, predicted: 0 });
		expect(result.fits.map((f) => [f.model, f.status])).toEqual([
			['bgnbd', 'too_few'],
			['gamma_gamma', 'too_few'],
			['contractual', 'fitted']
		]);
		expect(result.warnings[0]).toBe(
			'Too few data for the BG/NBD model: 2 of 3 customers buying without a contract had a repeat purchase by 2025-03-31, and at least 50 are needed. P(alive), expected orders and predicted LTV are left empty; load more order history or choose a later date.'
		);
		expect(result.warnings[1]).toMatch(
			/^Too few data for the Gamma-Gamma spend model: 2 customers/
		);
	});

	test('writes the fits and one row per account under one fit_id', async () => {
		const fits = await ltvFits(t.db, result.fitId!);
		expect(fits.map((f) => f.model)).toEqual(['bgnbd', 'contractual', 'gamma_gamma']);
		const contractual = fits.find((f) => f.model === 'contractual')!;
		expect(contractual.params).toEqual({ monthly_churn_rate: 2 / 48, churned: 2, at_risk: 48 });
		expect(contractual.margin).toBe(0.3);
		expect(fits.find((f) => f.model === 'bgnbd')).toMatchObject({
			status: 'too_few',
			message: result.warnings[0],
			logLikelihood: null,
			converged: false,
			n: 3
		});

		const stored = await rows(
			t.db,
			`SELECT account_id, model, toString(cohort_month) AS cohort, x, t_x, T, m_x, toString(revenue) AS revenue,
			        toString(ltv_historical) AS historical, ltv_contractual, toString(mrr) AS mrr,
			        p_alive, ltv_12m_predicted, toString(next_order_due) AS due, overdue
			 FROM account_ltv WHERE fit_id = '${result.fitId}' ORDER BY account_id`
		);
		expect(stored.map((r) => r.account_id)).toEqual([
			'A1',
			'A2',
			'A3',
			'S1',
			'S2',
			'S3',
			'S4',
			'S5',
			'S7'
		]);
		expect(stored[0]).toEqual({
			account_id: 'A1',
			model: 'orders',
			cohort: '2025-01-01',
			x: 2,
			t_x: 6,
			T: 89 / 7,
			m_x: 100,
			revenue: '350',
			historical: '159',
			ltv_contractual: null,
			mrr: null,
			p_alive: null,
			ltv_12m_predicted: null,
			due: '2025-03-05',
			overdue: 1
		});
		// Contractual LTV = MRR × 0.3 ÷ (2/48 per month) = MRR × 7.2 (24 months, under the 120 cap).
		const contract = Object.fromEntries(
			stored
				.filter((r) => r.model === 'subscriptions')
				.map((r) => [r.account_id, r.ltv_contractual])
		);
		expect(contract).toEqual({ S1: 7200, S2: 0, S3: 2160, S4: 0, S5: 2880, S7: 720 });
		// S7 also orders: a subscription account all the same, its cohort the month of its first
		// order (2025-01) before its subscription (2025-03), its historical LTV 90 × 0.3.
		expect(stored.find((r) => r.account_id === 'S7')).toMatchObject({
			cohort: '2025-01-01',
			x: 0,
			revenue: '90',
			historical: '27',
			mrr: '100',
			due: null,
			overdue: 0
		});
		// S1 never ordered: no history, its cohort the month of its first subscription.
		expect(stored.find((r) => r.account_id === 'S1')).toMatchObject({
			cohort: '2024-01-01',
			x: null,
			t_x: null,
			T: null,
			historical: '0',
			revenue: '0'
		});
	});

	test('the holdout check refuses with the same message', async () => {
		const err = await holdoutCheck(t.db, {
			calibrationEnd: '2025-02-28',
			holdoutEnd: AS_OF
		}).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(LtvError);
		expect((err as Error).message).toMatch(
			/^Too few data for the BG\/NBD model: 1 of 2 customers buying without a contract had a repeat purchase by 2025-02-28/
		);
	});
});

describe('dataset functions', () => {
	test('ltvByAccount applies scope, filters and sort inside the query', async () => {
		const all = await ltvByAccount(t.db, { asOf: AS_OF, scope: 'all', sort: 'ltv_contractual' });
		// Descending by contractual LTV, accounts without one last, ties by id.
		expect(all!.rows.map((r) => r.accountId)).toEqual([
			'S1',
			'S5',
			'S3',
			'S7',
			'S2',
			'S4',
			'A1',
			'A2',
			'A3'
		]);
		expect(all!.rows[0]).toMatchObject({
			name: 'Account S1',
			segment: 'enterprise',
			model: 'subscriptions',
			ltvContractual: 7200,
			mrr: '1000',
			overdue: false
		});
		const scoped = await ltvByAccount(t.db, {
			scope: { accountIds: ['A1', 'S1', 'S6'] },
			sort: 'account_id'
		});
		expect(scoped!.refresh.asOf).toBe(AS_OF);
		expect(scoped!.rows.map((r) => r.accountId)).toEqual(['A1', 'S1']);
		expect((await ltvByAccount(t.db, { scope: {} }))!.rows).toEqual([]);
		const overdue = await ltvByAccount(t.db, {
			scope: 'all',
			sort: 'account_id',
			filters: { overdueOnly: true, segment: 'smb' }
		});
		expect(overdue!.rows.map((r) => [r.accountId, r.nextOrderDue])).toEqual([
			['A1', '2025-03-05'],
			['A2', '2025-03-03']
		]);
		const page = await ltvByAccount(t.db, {
			scope: 'all',
			sort: 'account_id',
			limit: 2,
			offset: 3
		});
		expect(page!.rows.map((r) => r.accountId)).toEqual(['S1', 'S2']);
		expect(await ltvByAccount(t.db, { asOf: '2020-01-01', scope: 'all' })).toBeNull();
	});

	test('ltvDistribution groups by an allow-listed dimension', async () => {
		const bySegment = await ltvDistribution(t.db, {
			scope: 'all',
			groupBy: 'segment',
			measure: 'ltv_contractual'
		});
		// enterprise: S1 7200, S3 2160. smb: A1–A3 (no contractual value), S2 0, S4 0, S5 2880,
		// S7 720; the exact median of [0, 0, 720, 2880] at ⌊0.5 · 4⌋ is 720.
		expect(bySegment!.rows).toEqual([
			{
				group: 'enterprise',
				accounts: 2,
				valued: 2,
				total: 9360,
				mean: 4680,
				p10: 2160,
				p25: 2160,
				median: 7200,
				p75: 7200,
				p90: 7200
			},
			{
				group: 'smb',
				accounts: 7,
				valued: 4,
				total: 3600,
				mean: 900,
				p10: 0,
				p25: 0,
				median: 720,
				p75: 2880,
				p90: 2880
			}
		]);
		const byCohort = await ltvDistribution(t.db, {
			scope: { accountIds: ['A1', 'A2', 'A3'] },
			groupBy: 'cohort_month',
			measure: 'ltv_historical'
		});
		expect(byCohort!.rows.map((r) => [r.group, r.accounts, r.total])).toEqual([
			['2025-01-01', 1, 159],
			['2025-03-01', 2, 90]
		]);
		await expect(
			ltvDistribution(t.db, { scope: 'all', groupBy: 'owner; DROP TABLE x' as 'segment' })
		).rejects.toThrow(
			"Unknown grouping 'owner; DROP TABLE x': use one of segment, region, industry, cohort_month."
		);
	});
});

describe('tenant settings', () => {
	test('an invalid value is refused on write, and on read names the key', async () => {
		await expect(setTenantSetting(t.db, 'ltv_margin', '30%')).rejects.toThrow(
			"Tenant setting ltv_margin = '30%': it must be a fraction above 0 and at most 1 (0.3 = 30 %)."
		);
		await t.db.client.insert({
			table: 'tenant_settings',
			values: [{ key: 'ltv_discount_rate', value: 'ten', updated_at: '2025-01-01 00:00:00.000' }],
			format: 'JSONEachRow'
		});
		const err = await ltvSettings(t.db).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(SettingError);
		expect((err as Error).message).toContain(
			"Tenant setting ltv_discount_rate = 'ten' is not valid"
		);
		await setTenantSetting(t.db, 'ltv_discount_rate', '0');
		await setTenantSetting(t.db, 'ltv_margin', '0.4');
		expect(await ltvSettings(t.db)).toMatchObject({ margin: 0.4, discountRate: 0 });
		// The configured margin reaches the SQL as a parameter: A2's orders have no lines.
		const s = await readPurchaseSummary(t.db, {
			asOf: AS_OF,
			tz: TZ,
			currency: 'CNY',
			settings: await ltvSettings(t.db)
		});
		expect(s.grossProfit[s.accountId.indexOf('A2')]).toBe('40');
	});

	test('orders in two currencies need a reporting currency, and then only it counts', async () => {
		await load('orders', [
			ORDER_HEADER,
			['U1', 'A3', '2025-03-20 10:00:00', 'completed', 'USD', '5.00']
		]);
		const err = await computeLtv(t.db, { asOf: AS_OF }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(LtvError);
		expect((err as Error).message).toBe(
			'Orders and subscriptions up to 2025-03-31 are in several currencies: CNY (15), USD (1). Amounts are never added across currencies: set the tenant setting reporting_currency to the one to value in.'
		);
		await setTenantSetting(t.db, 'reporting_currency', 'CNY');
		const r = await computeLtv(t.db, { asOf: AS_OF });
		expect(r.currency).toBe('CNY');
		const a3 = await ltvByAccount(t.db, { scope: { accountIds: ['A3'] } });
		expect(a3!.refresh.fitId).toBe(r.fitId);
		expect(a3!.rows[0]).toMatchObject({ x: 0, revenue: '200' });
	});
});
