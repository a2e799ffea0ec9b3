import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accountDetail } from '../../analytics/account-detail.ts';
import { AnalyticsError } from '../../analytics/errors.ts';
import { KPI_DATASETS, kpis, worklist, type Kpis } from '../../analytics/kpis.ts';
import type { RefreshStep } from '../../analytics/refresh/context.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import { vocStep } from '../../analytics/voc/refresh.ts';
import { insertRows, queryRows } from '../../sql/query.ts';
import { loadEntity } from '../factories/core.ts';
import { openTestDb } from '../factories/db.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * The KPI set, the at-risk worklist and the account page over hand-built accounts. TENURE_TZ
 * Asia/Shanghai, as of D = 2026-06-30, default settings: churn after 180 days without an order,
 * tier A ≥ 50,000 and repurchase > 80 %, tier B ≥ 20,000 or repurchase ≥ 50 %. Windows: 12m =
 * (2025-06-30, 2026-06-30], prev 12m = (2024-06-30, 2025-06-30]; quarters end 06-30, 03-30,
 * 12-30, 09-30; D − 180 days = 2026-01-01; D − 90 days = 2026-04-01.
 *
 * Owners: o1 (team T1) and o2 (team T2). Accounts:
 * - K1 (o1, smb): no activity: a prospect, neither active nor churned; tier C.
 * - K2 (o2, enterprise): 40,000 on 2024-12-01 (prev), 20,000 on 2026-04-01 (12m): active, tier B
 *   (20,000 ≥ 20,000); health green 80; an open critical alert (usage_drop) and an open warning
 *   (repurchase_overdue).
 * - K3 (o1, enterprise): 40,000 on 2025-01-20 only (prev): churned on 2025-01-20 + 180 =
 *   2025-07-19, not within 90 days; tier C.
 * - K4 (o2, smb): 8,000 on 2026-06-05: new this month, active, tier C (one quarter, 8,000);
 *   health yellow 55; an open warning (usage_drop) and a critical alert opened after D.
 * - K5 (o1, smb): 5,000 on 2025-12-20 (12m, not in the NRR base): 2025-12-20 ≤ D − 180, churned on
 *   2025-12-20 + 180 = 2026-06-18, within (2026-04-01, D]; tier C; an open critical alert (counts
 *   in critical_accounts, but K5 is not active so not at risk).
 * - K6 (o2, enterprise): an open-ended subscription since 2025-01-01, no orders: active, revenue 0,
 *   tier C; health none; a critical alert whose newer version is resolved on D (closed on D).
 * - K7 (o1, enterprise): 40,000 on 2025-03-10 (prev); 15,000 on each of 2025-08-15, 2025-11-15,
 *   2026-02-15, 2026-05-15 (12m: 60,000, 4 of 4 quarters): tier A; health red 30; an open warning
 *   (health_band_drop) opened on D.
 * - K8 (o1, smb): 20,000 on 2026-03-01: tier B; health red 25.
 * - K9 (o2, smb): 20,000 on 2026-03-01: tier B; health red 25.
 * NPS responses (survey_type nps) in (2025-06-30, 2026-06-30] by local day: K7 10, K8 9, K2 9
 * (promoters), K4 8 (passive), K9 3 (detractor). Not counted: K3 10 on 2025-06-30 23:30 local
 * (the day D − 12 months itself), K2 0 on 2026-07-01 00:10 local (after D), K8's CSAT 1.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const D = '2026-06-30';

const O1 = 'o1@x.cn';
const O2 = 'o2@x.cn';

/**
 * A stand-in for the health step: these bands (and K2's components) for the refresh being run,
 * with the filter columns, revenue and last order copied from the refresh's snapshot as the real
 * step copies them.
 */
const healthFixture: RefreshStep = {
	name: 'health-fixture',
	tables: [],
	run: async (ctx) => {
		const attributes = new Map(
			(
				await queryRows<Record<string, unknown>>(
					ctx.db,
					`SELECT account_id, name, segment, region, industry, acquisition_channel, owner_email, team, tier, categories,
					        revenue_12m, last_order
					 FROM account_snapshot WHERE refresh_id = {id:String}`,
					{ id: ctx.refreshId },
					{ tag: 'test:attributes' }
				)
			).map((r) => [String(r.account_id), r])
		);
		const row = (account_id: string, score: number | null, band: string) => ({
			...attributes.get(account_id),
			refresh_id: ctx.refreshId,
			as_of: ctx.asOf,
			account_id,
			score,
			band
		});
		return insertRows(
			ctx.db,
			'health_scores',
			[
				{
					...row('K2', 80, 'green'),
					recency_score: 90,
					spend_score: 50,
					support_score: 90,
					weights: { recency: 0.5, spend: 0.25, support: 0.25 },
					missing: ['usage', 'sentiment', 'payment', 'relationship']
				},
				row('K4', 55, 'yellow'),
				row('K6', null, 'none'),
				row('K7', 30, 'red'),
				row('K8', 25, 'red'),
				row('K9', 25, 'red')
			],
			'test:health'
		);
	}
};

let alertSeq = 0;
/** One version of an alert (version 1 unless given). */
const alert = (
	account_id: string,
	signal: string,
	severity: 'critical' | 'warning',
	opened: string,
	resolved: string | null = null,
	version = 1,
	alert_id = `AL${++alertSeq}`
) => ({
	alert_id,
	account_id,
	signal,
	severity,
	status: resolved ? 'resolved' : 'open',
	opened_as_of: opened,
	last_seen_as_of: resolved ?? opened,
	resolved_as_of: resolved,
	resolution: resolved ? 'auto' : '',
	detail: {},
	opened_refresh_id: 'fixture',
	refresh_id: 'fixture',
	as_of: resolved ?? opened,
	version,
	updated_at: '2026-06-30 00:00:00.000'
});

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(t.db, files, 'owners', [
		{ owner_email: O1, name: 'One', team: 'T1', manager_email: 'm1@x.cn' },
		{ owner_email: O2, name: 'Two', team: 'T2', manager_email: 'm2@x.cn' }
	]);
	const account = (id: string, owner: string, segment: string) => ({
		account_id: id,
		name: `Account ${id}`,
		segment,
		region: '华东',
		industry: '零售',
		acquisition_channel: 'direct',
		owner_email: owner,
		created_at: '2024-01-01 09:00:00'
	});
	await loadEntity(t.db, files, 'accounts', [
		account('K1', O1, 'smb'),
		account('K2', O2, 'enterprise'),
		account('K3', O1, 'enterprise'),
		account('K4', O2, 'smb'),
		account('K5', O1, 'smb'),
		account('K6', O2, 'enterprise'),
		account('K7', O1, 'enterprise'),
		account('K8', O1, 'smb'),
		account('K9', O2, 'smb')
	]);
	let orderSeq = 0;
	const order = (acc: string, day: string, amount: number) => ({
		order_id: `OR${++orderSeq}`,
		account_id: acc,
		ordered_at: `${day} 10:00:00`,
		status: 'completed',
		currency: 'CNY',
		net_amount: amount
	});
	await loadEntity(t.db, files, 'orders', [
		order('K2', '2024-12-01', 40000),
		order('K2', '2026-04-01', 20000),
		order('K3', '2025-01-20', 40000),
		order('K4', '2026-06-05', 8000),
		order('K5', '2025-12-20', 5000),
		order('K7', '2025-03-10', 40000),
		order('K7', '2025-08-15', 15000),
		order('K7', '2025-11-15', 15000),
		order('K7', '2026-02-15', 15000),
		order('K7', '2026-05-15', 15000),
		order('K8', '2026-03-01', 20000),
		order('K9', '2026-03-01', 20000)
	]);
	await loadEntity(t.db, files, 'subscriptions', [
		{
			subscription_id: 'SUB-K6',
			account_id: 'K6',
			plan: 'pro',
			start_date: '2025-01-01',
			end_date: null,
			mrr: 1000,
			currency: 'CNY',
			renewal_status: 'active'
		}
	]);
	let responseSeq = 0;
	const response = (account_id: string, score: number, at: string, survey_type = 'nps') => ({
		response_id: `R${++responseSeq}`,
		account_id,
		survey_type,
		score,
		comment: '',
		responded_at: at
	});
	await loadEntity(t.db, files, 'survey_responses', [
		response('K7', 10, '2026-03-01 10:00:00'),
		response('K8', 9, '2026-05-01 10:00:00'),
		response('K2', 9, '2026-02-01 10:00:00'),
		response('K4', 8, '2026-06-20 10:00:00'),
		response('K9', 3, '2026-06-29 10:00:00'),
		response('K3', 10, '2025-06-30 23:30:00'),
		response('K2', 0, '2026-07-01 00:10:00'),
		response('K8', 1, '2026-06-01 10:00:00', 'csat')
	]);
	await insertRows(
		t.db,
		'alerts',
		[
			alert('K2', 'usage_drop', 'critical', '2026-06-10'),
			alert('K2', 'repurchase_overdue', 'warning', '2026-05-01'),
			alert('K4', 'usage_drop', 'warning', '2026-06-15'),
			alert('K4', 'sentiment_rising', 'critical', '2026-07-05'),
			alert('K5', 'new_detractor', 'critical', '2026-06-01'),
			// Two versions of one alert: open, then (newer) resolved on D itself.
			alert('K6', 'sla_first_response', 'critical', '2026-05-01', null, 1, 'AL-K6'),
			alert('K6', 'sla_first_response', 'critical', '2026-05-01', D, 2, 'AL-K6'),
			alert('K7', 'health_band_drop', 'warning', D)
		],
		'test:alerts'
	);
	await refreshAnalytics(t.db, { asOf: D, steps: [vocStep, healthFixture] });
}, 120_000);

afterAll(async () => {
	await t?.cleanup();
	files.cleanup();
});

/** Kpis without the refresh reference, for toEqual. */
const numbers = ({ refresh: _refresh, ...rest }: Kpis) => rest;

describe('kpis', () => {
	test('the whole tenant', async () => {
		const k = await kpis(t.db, { asOf: D });
		expect(k.refresh.asOf).toBe(D);
		expect(numbers(k)).toEqual({
			accounts: 9,
			// K2, K4, K6 (subscription), K7, K8, K9; K1 is a prospect, K3 and K5 churned.
			active: 6,
			// K4: first order 2026-06-05, in June 2026.
			newThisMonth: 1,
			// K5 (churn day 2026-06-18 > 2026-04-01); K3's 2025-07-19 is too early.
			churned90d: 1,
			// K2 20,000 + K4 8,000 + K5 5,000 + K7 60,000 + K8 20,000 + K9 20,000.
			revenue12m: '133000',
			// K2 40,000 + K3 40,000 + K7 40,000.
			revenuePrev12m: '120000',
			// Base K2, K3, K7 (120,000): NRR (20,000 + 0 + 60,000) / 120,000 = 2/3;
			// GRR capped at base: (20,000 + 0 + 40,000) / 120,000 = 1/2.
			nrr: expect.closeTo(2 / 3, 12) as number,
			grr: 0.5,
			// A: K7; B: K2, K8, K9; C: K1, K3, K4, K5, K6.
			tiers: { A: 1, B: 3, C: 5 },
			health: { green: 1, yellow: 1, red: 3, none: 1 },
			// 3 promoters (K7, K8, K2), 1 passive (K4), 1 detractor (K9): (3 − 1) / 5 × 100.
			nps: 40,
			npsResponses: 5,
			// K2 (open critical) and K5 (open critical, churned). Not K4 (opened after D) nor K6
			// (its newest version is resolved on D).
			criticalAccounts: 2,
			// Active and (red or open critical): K7, K8, K9 (red), K2 (critical). Not K5 (churned).
			atRisk: 4,
			// 60,000 + 20,000 + 20,000 + 20,000.
			atRiskRevenue12m: '120000'
		});
	});

	test('scope to one owner narrows every number', async () => {
		// o1: K1, K3, K5, K7, K8.
		const k = await kpis(t.db, { asOf: D, scope: { owners: [O1] } });
		expect(numbers(k)).toEqual({
			accounts: 5,
			active: 2, // K7, K8
			newThisMonth: 0,
			churned90d: 1, // K5
			revenue12m: '85000', // K5 5,000 + K7 60,000 + K8 20,000
			revenuePrev12m: '80000', // K3 40,000 + K7 40,000
			// Base K3, K7: NRR (0 + 60,000) / 80,000 = 0.75; GRR (0 + 40,000) / 80,000 = 0.5.
			nrr: 0.75,
			grr: 0.5,
			tiers: { A: 1, B: 1, C: 3 }, // A K7; B K8; C K1, K3, K5
			health: { green: 0, yellow: 0, red: 2, none: 0 }, // K7, K8
			nps: 100, // K7 10, K8 9: 2 promoters of 2
			npsResponses: 2,
			criticalAccounts: 1, // K5
			atRisk: 2, // K7, K8
			atRiskRevenue12m: '80000' // 60,000 + 20,000
		});
	});

	test('a filter (team T2) narrows every number', async () => {
		// T2 = o2's accounts: K2, K4, K6, K9.
		const k = await kpis(t.db, { asOf: D, filters: { team: ['T2'] } });
		expect(numbers(k)).toEqual({
			accounts: 4,
			active: 4,
			newThisMonth: 1, // K4
			churned90d: 0,
			revenue12m: '48000', // K2 20,000 + K4 8,000 + K9 20,000
			revenuePrev12m: '40000', // K2
			// Base K2: NRR 20,000 / 40,000; GRR the same (below its base).
			nrr: 0.5,
			grr: 0.5,
			tiers: { A: 0, B: 2, C: 2 }, // B K2, K9; C K4, K6
			health: { green: 1, yellow: 1, red: 1, none: 1 },
			// K2 promoter, K4 passive, K9 detractor: (1 − 1) / 3 × 100.
			nps: 0,
			npsResponses: 3,
			criticalAccounts: 1, // K2
			atRisk: 2, // K2 (critical), K9 (red)
			atRiskRevenue12m: '40000'
		});
	});

	test('more detractors than promoters is a negative NPS', async () => {
		// K4 passive, K9 detractor: (0 − 1) / 2 × 100 = −50.
		const k = await kpis(t.db, { asOf: D, scope: { accountIds: ['K4', 'K9'] } });
		expect([k.nps, k.npsResponses]).toEqual([-50, 2]);
	});

	test('an empty scope: zeros, and no NRR, GRR or NPS', async () => {
		expect(numbers(await kpis(t.db, { asOf: D, scope: {} }))).toEqual({
			accounts: 0,
			active: 0,
			newThisMonth: 0,
			churned90d: 0,
			revenue12m: '0',
			revenuePrev12m: '0',
			nrr: null,
			grr: null,
			tiers: { A: 0, B: 0, C: 0 },
			health: { green: 0, yellow: 0, red: 0, none: 0 },
			nps: null,
			npsResponses: 0,
			criticalAccounts: 0,
			atRisk: 0,
			atRiskRevenue12m: '0'
		});
	});

	test('a date without a refresh is an AnalyticsError', async () => {
		await expect(kpis(t.db, { asOf: '2026-05-31' })).rejects.toThrow(AnalyticsError);
	});
});

describe('worklist', () => {
	const ids = async (opts: Parameters<typeof worklist>[1]) =>
		(await worklist(t.db, { asOf: D, ...opts })).rows.map((r) => r.accountId);

	test('at-risk active accounts by revenue, then lower health score, then id', async () => {
		const page = await worklist(t.db, { asOf: D });
		// K7 60,000 first; then the 20,000s: K8 and K9 (score 25, by id) before K2 (score 80).
		// Not K5 (critical but churned), K4 (warning only), K6 (critical resolved on D).
		expect(page.total).toBe(4);
		expect(page.rows.map((r) => r.accountId)).toEqual(['K7', 'K8', 'K9', 'K2']);
		const [k7, k8, , k2] = page.rows;
		expect(k7).toEqual({
			accountId: 'K7',
			name: 'Account K7',
			segment: 'enterprise',
			tier: 'A',
			ownerEmail: O1,
			team: 'T1',
			revenue12m: '60000',
			lastOrder: '2026-05-15',
			healthScore: 30,
			healthBand: 'red',
			// No churn model has scored the accounts in this test (see the last describe block).
			churnProbability: null,
			valueAtRisk: null,
			criticalAlerts: 0,
			// health_band_drop opened on D is open on D.
			openAlerts: 1,
			signals: ['health_band_drop']
		});
		expect(k8).toMatchObject({ healthScore: 25, criticalAlerts: 0, openAlerts: 0, signals: [] });
		expect(k2).toMatchObject({
			tier: 'B',
			team: 'T2',
			revenue12m: '20000',
			lastOrder: '2026-04-01',
			healthScore: 80,
			healthBand: 'green',
			criticalAlerts: 1,
			openAlerts: 2,
			signals: ['repurchase_overdue', 'usage_drop']
		});
	});

	test('paging keeps the order and the total', async () => {
		const page = await worklist(t.db, { asOf: D, limit: 2, offset: 1 });
		expect([page.total, page.rows.map((r) => r.accountId)]).toEqual([4, ['K8', 'K9']]);
		const last = await worklist(t.db, { asOf: D, limit: 2, offset: 2 });
		expect([last.total, last.rows.map((r) => r.accountId)]).toEqual([4, ['K9', 'K2']]);
		await expect(worklist(t.db, { asOf: D, limit: 0 })).rejects.toThrow(AnalyticsError);
		await expect(worklist(t.db, { asOf: D, limit: 10_001 })).rejects.toThrow(AnalyticsError);
	});

	test('scope and filters: a CSM sees only their accounts', async () => {
		expect(await ids({ scope: { owners: [O1] } })).toEqual(['K7', 'K8']);
		expect(await ids({ scope: { owners: [O2] } })).toEqual(['K9', 'K2']);
		expect(await ids({ scope: { owners: ['someone-else@x'] } })).toEqual([]);
		expect(await ids({ filters: { tier: ['B'] } })).toEqual(['K8', 'K9', 'K2']);
		expect(await ids({ filters: { segment: ['enterprise'] } })).toEqual(['K7', 'K2']);
		const mine = await worklist(t.db, { asOf: D, scope: { owners: [O1] }, limit: 1 });
		expect([mine.total, mine.rows.map((r) => r.accountId)]).toEqual([2, ['K7']]);
	});

	test('the worklist dataset: the same rows, signals space-separated', async () => {
		const dataset = KPI_DATASETS.find((d) => d.name === 'worklist')!;
		const out: Record<string, unknown>[] = [];
		for await (const page of dataset.run(t.db, { asOf: D })) out.push(...page);
		expect(out.map((r) => r.account_id)).toEqual(['K7', 'K8', 'K9', 'K2']);
		for (const r of out) expect(Object.keys(r)).toEqual([...dataset.columns]);
		expect(out[3]).toMatchObject({ as_of: D, signals: 'repurchase_overdue usage_drop' });
	});
});

describe('accountDetail', () => {
	test("an account's snapshot numbers, health components, alerts and NPS", async () => {
		const d = await accountDetail(t.db, { accountId: 'K2', scope: 'all', asOf: D });
		expect(d).not.toBeNull();
		expect(d!.account).toMatchObject({
			accountId: 'K2',
			name: 'Account K2',
			segment: 'enterprise',
			ownerEmail: O2,
			team: 'T2',
			managerEmail: 'm2@x.cn',
			tier: 'B',
			firstActivity: '2024-12-01',
			lastOrder: '2026-04-01',
			ordersTotal: 2,
			revenueTotal: '60000', // 40,000 + 20,000
			orders12m: 1,
			revenue12m: '20000',
			revenuePrev12m: '40000',
			// Quarters ending 06-30 (2026-04-01) of 4.
			repurchaseRate: 0.25,
			subscriptionActive: false,
			active: true,
			churned: false,
			churnDay: null
		});
		expect(d!.health).toEqual({
			score: 80,
			band: 'green',
			components: {
				recency: 90,
				spend: 50,
				usage: null,
				support: 90,
				sentiment: null,
				payment: null,
				relationship: null
			},
			weights: { recency: 0.5, spend: 0.25, support: 0.25 },
			missing: ['usage', 'sentiment', 'payment', 'relationship']
		});
		// Open first, critical first.
		expect(
			d!.alerts.map((a) => [a.signal, a.severity, a.status, a.openedAsOf, a.resolvedAsOf])
		).toEqual([
			['usage_drop', 'critical', 'open', '2026-06-10', null],
			['repurchase_overdue', 'warning', 'open', '2026-05-01', null]
		]);
		// The latest NPS response within 12 months: 9 on 2026-02-01 (the 0 on 07-01 is after D).
		expect(d!.nps).toMatchObject({ accountId: 'K2', score: 9, category: 'promoter' });
		// No segments step ran.
		expect([d!.rfmSegment, d!.lifecycleStage]).toEqual([null, null]);
	});

	test('a resolved alert shows as resolved; a subscriber without orders', async () => {
		const d = await accountDetail(t.db, { accountId: 'K6', scope: { owners: [O2] }, asOf: D });
		expect(d!.account).toMatchObject({
			subscriptionActive: true,
			mrr: '1000',
			firstActivity: '2025-01-01',
			lastOrder: null,
			revenue12m: '0',
			active: true
		});
		expect(d!.health).toMatchObject({ score: null, band: 'none' });
		expect(d!.alerts.map((a) => [a.alertId, a.status, a.resolvedAsOf])).toEqual([
			['AL-K6', 'resolved', D]
		]);
		expect(d!.nps).toBeNull();
	});

	test('an account without health, LTV or alerts: no data is null, not zero', async () => {
		const d = await accountDetail(t.db, { accountId: 'K1', scope: 'all', asOf: D });
		expect(d!.account).toMatchObject({ firstActivity: null, active: false, churned: false });
		expect(d!.health).toMatchObject({ score: null, band: 'none', missing: [] });
		expect(d!.alerts).toEqual([]);
		// No LTV was computed as of D.
		expect(d!.ltv).toEqual({
			pAlive: null,
			predicted12m: null,
			historical: null,
			contractual: null,
			nextOrderDue: null,
			nextOrderOverdue: false
		});
	});

	test('null for an unknown account and for an account outside the scope', async () => {
		expect(await accountDetail(t.db, { accountId: 'NOPE', scope: 'all', asOf: D })).toBeNull();
		expect(
			await accountDetail(t.db, {
				accountId: 'K2',
				scope: { owners: ['someone-else@x'] },
				asOf: D
			})
		).toBeNull();
		expect(
			await accountDetail(t.db, { accountId: 'K2', scope: { owners: [O1] }, asOf: D })
		).toBeNull();
		expect(
			await accountDetail(t.db, { accountId: 'K2', scope: { accountIds: ['K2'] }, asOf: D })
		).not.toBeNull();
		await expect(accountDetail(t.db, { accountId: ' ', scope: 'all' })).rejects.toThrow(
			AnalyticsError
		);
	});
});

describe('the kpis dataset', () => {
	test('one row with the columns it declares, the numbers of kpis()', async () => {
		const dataset = KPI_DATASETS.find((d) => d.name === 'kpis')!;
		const collect = async (opts = {}) => {
			const out: Record<string, unknown>[] = [];
			for await (const page of dataset.run(t.db, { asOf: D, ...opts })) out.push(...page);
			return out;
		};
		const all = await collect();
		expect(all).toHaveLength(1);
		expect(Object.keys(all[0]!)).toEqual([...dataset.columns]);
		// The numbers worked out in 'the whole tenant' above.
		expect(all[0]).toEqual({
			as_of: D,
			accounts: 9,
			active: 6,
			new_this_month: 1,
			churned_90d: 1,
			revenue_12m: '133000',
			revenue_prev_12m: '120000',
			nrr: expect.closeTo(2 / 3, 12) as number,
			grr: 0.5,
			tier_a: 1,
			tier_b: 3,
			tier_c: 5,
			health_green: 1,
			health_yellow: 1,
			health_red: 3,
			health_none: 1,
			nps: 40,
			nps_responses: 5,
			critical_accounts: 2,
			at_risk: 4,
			at_risk_revenue_12m: '120000'
		});
		// Options reach kpis(): team T2 has 4 accounts, 2 at risk.
		const t2 = await collect({ filters: { team: ['T2'] } });
		expect([t2.length, t2[0]!.accounts, t2[0]!.at_risk]).toEqual([1, 4, 2]);
	});
});

describe('churn probabilities (tenure score) in the worklist and the KPI set', () => {
	beforeAll(async () => {
		const run = (scored_at: string, scores: [string, number][], finished: boolean) => [
			insertRows(
				t.db,
				'churn_scores',
				scores.map(([account_id, probability]) => ({
					...{ as_of: D, account_id, model_version: 'm20260630000000-test', probability },
					...{ drivers: [], scored_at }
				})),
				'test:scores'
			),
			finished
				? insertRows(
						t.db,
						'churn_score_runs',
						[
							{
								as_of: D,
								scored_at,
								model_version: 'm',
								accounts: scores.length,
								finished_at: scored_at
							}
						],
						'test:score-runs'
					)
				: Promise.resolve()
		];
		// Risk threshold 0.5 (default). K4 (yellow, no critical alert) becomes at risk at 0.9;
		// K6 at 0.49 stays off the list; K2 (critical) has no score. An older run of the date (K6
		// at 0.95) and a newer one still being written (no run row yet: K9 at 0.99) are not read.
		await Promise.all(
			run(
				'2026-06-30 20:00:00.000',
				[
					['K6', 0.95],
					['K4', 0.2]
				],
				true
			)
		);
		await Promise.all(
			run(
				'2026-06-30 21:00:00.000',
				[
					['K4', 0.9],
					['K6', 0.49],
					['K7', 0.1],
					['K8', 0.5],
					['K9', 0.3]
				],
				true
			)
		);
		await Promise.all(run('2026-06-30 22:00:00.000', [['K9', 0.99]], false));
	});

	test('a probability at or above the threshold puts an account on the list; value at risk orders it', async () => {
		const page = await worklist(t.db, { asOf: D });
		// Value at risk = probability × revenue_12m: K8 0.5 × 20,000 = 10,000; K4 0.9 × 8,000 =
		// 7,200; K7 0.1 × 60,000 = 6,000 and K9 0.3 × 20,000 = 6,000 (tie: K7's revenue is higher);
		// K2 has no score: last.
		expect(page.rows.map((r) => [r.accountId, r.valueAtRisk])).toEqual([
			['K8', 10_000],
			['K4', expect.closeTo(7_200, 6) as number],
			['K7', expect.closeTo(6_000, 6) as number],
			['K9', expect.closeTo(6_000, 6) as number],
			['K2', null]
		]);
		expect(page.total).toBe(5);
		expect(page.rows[1]).toMatchObject({ healthBand: 'yellow', churnProbability: 0.9 });
	});

	test('the KPI set counts the likely churners as at risk', async () => {
		const k = await kpis(t.db, { asOf: D });
		// K7, K8, K9 (red), K2 (critical) and now K4: 5; revenue 120,000 + K4's 8,000.
		expect([k.atRisk, k.atRiskRevenue12m]).toEqual([5, '128000']);
	});
});
