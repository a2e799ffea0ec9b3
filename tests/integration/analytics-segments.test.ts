import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setTenantSetting, tenantSettings } from '../../analytics/config.ts';
import { AnalyticsError } from '../../analytics/errors.ts';
import type { RefreshStep } from '../../analytics/refresh/context.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import {
	lifecycleAccounts,
	lifecycleStage,
	lifecycleSummary,
	paretoCurve,
	rfmAccounts,
	rfmSegmentMap,
	scoreRfm,
	SEGMENT_DATASETS,
	segmentsStep,
	tierAccounts,
	tierSummary,
	type RfmAccountRow
} from '../../analytics/segments/index.ts';
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import { insertRows } from '../../sql/query.ts';
import { loadEntity } from '../factories/core.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * RFM, tiers, lifecycle and Pareto on accounts built by hand (TENURE_TZ Asia/Shanghai, CNY, as of
 * 2025-06-30, default settings: lookback 365 days, churn after 180 days, growth 180 days / 1.2,
 * decline 0.8, tier A 50,000 and > 0.8, tier B 20,000 or ≥ 0.5). Every expected value is worked
 * out in the comments from the orders below, not read off the code.
 *
 * Windows as of D = 2025-06-30: RFM lookback = local days 2024-07-01 … 2025-06-30; 12m =
 * (2024-06-30, D]; 6m = (2024-12-30, D], prev 6m = (2024-06-30, 2024-12-30]; quarters end on
 * 03-30, 12-30, 09-30 and 06-30; churned = last order on or before 2025-01-01.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const AS_OF = '2025-06-30';

/** [id, segment, region, owner]. */
const ACCOUNTS: [string, string, string, string][] = [
	['A1', 'enterprise', '华东', 'li@x.cn'],
	['A2', 'enterprise', '华南', 'wang@x.cn'],
	['B1', 'smb', '华东', 'li@x.cn'],
	['B2', 'smb', '华南', 'wang@x.cn'],
	['C1', 'smb', '华东', 'li@x.cn'],
	['D1', 'smb', '华北', 'zhao@x.cn'],
	['M80', 'mid', '华北', 'zhao@x.cn'],
	['N1', 'smb', '华东', 'li@x.cn'],
	['H1', 'mid', '华南', 'wang@x.cn'],
	['X1', 'smb', '华北', 'zhao@x.cn'],
	['P1', 'smb', '华东', 'li@x.cn'],
	['O1', 'mid', '华东', 'li@x.cn']
];

/** [order id, account, local time, amount, status]. */
const ORDERS: [string, string, string, string, string][] = [
	// A1: 12,500 in each of the 4 quarters = exactly 50,000; an order in 2023 before the lookback.
	['a1-0', 'A1', '2023-03-01 12:00:00', '100.00', 'completed'],
	['a1-1', 'A1', '2024-08-15 12:00:00', '12500.00', 'completed'],
	['a1-2', 'A1', '2024-11-15 12:00:00', '12500.00', 'paid'],
	['a1-3', 'A1', '2025-02-15 12:00:00', '12500.00', 'shipped'],
	['a1-4', 'A1', '2025-05-15 12:00:00', '12500.00', 'completed'],
	// A2: 60,000 in 3 of the 4 quarters.
	['a2-0', 'A2', '2023-06-01 12:00:00', '500.00', 'completed'],
	['a2-1', 'A2', '2024-10-10 12:00:00', '20000.00', 'completed'],
	['a2-2', 'A2', '2025-01-10 12:00:00', '20000.00', 'completed'],
	['a2-3', 'A2', '2025-04-10 12:00:00', '20000.00', 'completed'],
	// B1: one order of exactly 20,000, on the same day as A1's last (a recency tie).
	['b1-1', 'B1', '2025-05-15 09:00:00', '20000.00', 'completed'],
	// B2: 5,000 in 2 quarters (repurchase exactly 50 %).
	['b2-0', 'B2', '2023-05-01 12:00:00', '1000.00', 'completed'],
	['b2-1', 'B2', '2024-12-01 12:00:00', '2500.00', 'completed'],
	['b2-2', 'B2', '2025-06-20 12:00:00', '2500.00', 'completed'],
	// C1: 19,999.99 in one quarter, last order 2024-09-01 (churned).
	['c1-0', 'C1', '2022-03-01 12:00:00', '100.00', 'completed'],
	['c1-1', 'C1', '2024-09-01 12:00:00', '19999.99', 'completed'],
	// D1: 10,000 in the previous half-year, 7,900 (79 %) in the last.
	['d1-0', 'D1', '2022-04-01 12:00:00', '200.00', 'completed'],
	['d1-1', 'D1', '2024-09-15 12:00:00', '10000.00', 'completed'],
	['d1-2', 'D1', '2025-03-15 12:00:00', '7900.00', 'completed'],
	// M80: 10,000 then exactly 8,000 (80 %).
	['m80-0', 'M80', '2022-04-01 12:00:00', '200.00', 'completed'],
	['m80-1', 'M80', '2024-09-20 12:00:00', '10000.00', 'completed'],
	['m80-2', 'M80', '2025-03-20 12:00:00', '8000.00', 'completed'],
	// N1: first order on the as-of day at 23:30 local (15:30 UTC); 00:30 local on 07-01 is still
	// 06-30 in UTC but after D locally: not counted.
	['n1-1', 'N1', '2025-06-30 23:30:00', '300.00', 'completed'],
	['n1-2', 'N1', '2025-07-01 00:30:00', '700.00', 'completed'],
	// H1: flat 3,000 and 3,000 (would be mature), but its health is red.
	['h1-0', 'H1', '2022-05-10 12:00:00', '100.00', 'completed'],
	['h1-1', 'H1', '2024-10-01 12:00:00', '3000.00', 'completed'],
	['h1-2', 'H1', '2025-04-01 12:00:00', '3000.00', 'completed'],
	// X1: one counted order; cancelled, refunded and pending ones later do not count.
	['x1-1', 'X1', '2025-05-01 12:00:00', '5000.00', 'completed'],
	['x1-2', 'X1', '2025-06-25 12:00:00', '9000.00', 'cancelled'],
	['x1-3', 'X1', '2025-06-28 12:00:00', '5000.00', 'refunded'],
	['x1-4', 'X1', '2025-06-29 12:00:00', '4000.00', 'pending'],
	// P1: only a cancelled order: potential. O1: last order before the lookback: churned.
	['p1-1', 'P1', '2025-06-01 12:00:00', '500.00', 'cancelled'],
	['o1-0', 'O1', '2022-06-01 12:00:00', '100.00', 'completed'],
	['o1-1', 'O1', '2024-03-01 12:00:00', '800.00', 'completed']
];

/** Stands in for the health step (it runs before segments): H1 red, A1 green, others none. */
const testHealth: RefreshStep = {
	name: 'test-health',
	tables: [],
	run: (ctx) =>
		insertRows(
			ctx.db,
			'health_scores',
			[
				{ refresh_id: ctx.refreshId, as_of: ctx.asOf, account_id: 'H1', score: 20, band: 'red' },
				{ refresh_id: ctx.refreshId, as_of: ctx.asOf, account_id: 'A1', score: 85, band: 'green' }
			],
			'test:health'
		)
};

const refresh = (asOf: string) =>
	refreshAnalytics(t.db, { asOf, steps: [testHealth, segmentsStep] });

async function collect(name: string, options = {}): Promise<Record<string, unknown>[]> {
	const dataset = SEGMENT_DATASETS.find((d) => d.name === name)!;
	const out: Record<string, unknown>[] = [];
	for await (const page of dataset.run(t.db, { asOf: AS_OF, ...options })) out.push(...page);
	return out;
}

const byId = <T extends { accountId: string }>(list: T[]) =>
	Object.fromEntries(list.map((r) => [r.accountId, r]));

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(
		t.db,
		files,
		'accounts',
		ACCOUNTS.map(([id, segment, region, owner]) => ({
			account_id: id,
			name: `Account ${id}`,
			segment,
			region,
			owner_email: owner,
			created_at: '2022-01-01 00:00:00'
		}))
	);
	await loadEntity(
		t.db,
		files,
		'orders',
		ORDERS.map(([order, account, at, amount, status]) => ({
			order_id: order,
			account_id: account,
			ordered_at: at,
			status,
			currency: 'CNY',
			net_amount: amount
		}))
	);
	// A refresh without the step first: the reads must say the segments are missing.
	await refreshAnalytics(t.db, { asOf: '2024-12-31', steps: [] });
	await refresh('2023-06-30');
	await refresh(AS_OF);
});
afterAll(async () => {
	await t?.cleanup();
	files.cleanup();
});

describe('RFM', () => {
	test('recency, frequency, monetary and quintile scores of 10 scored accounts, by hand', async () => {
		const { rows: list } = await rfmAccounts(t.db, { asOf: AS_OF, sort: 'account_id' });
		// Scored: the 10 accounts with a counted order in 2024-07-01 … 2025-06-30 (not P1, O1).
		// n = 10, score = 1 + ⌊(10·below + 5·equal) / 20⌋.
		// Recency (days to 06-30), worst first: C1 302 (b0 → 1), D1 107 (b1 → 1), M80 102 (b2 → 2),
		// H1 90 (b3 → 2), A2 81 (b4 → 3), X1 60 (b5 → 3), A1 = B1 46 (b6, e2: 70/20 → 4),
		// B2 10 (b8 → 5), N1 0 (b9 → 5).
		// Frequency: 1 for B1, C1, N1, X1 (b0, e4: 20/20 → 2); 2 for B2, D1, M80, H1 (b4, e4: 60/20 →
		// 4); A2 3 (b8 → 5); A1 4 (b9 → 5). A1's and A2's 2023 orders are outside the lookback.
		// Monetary ascending: N1 300 (b0 → 1), B2 = X1 5,000 (b1, e2: 20/20 → 2), H1 6,000 (b3 → 2),
		// D1 17,900 (b4 → 3), M80 18,000 (b5 → 3), C1 19,999.99 (b6 → 4), B1 20,000 (b7 → 4),
		// A1 50,000 (b8 → 5), A2 60,000 (b9 → 5).
		// FM = ⌊(F + M + 1) / 2⌋ and the segment of (R, FM):
		// id: [recency, F, M, r, f, m, fm, segment]
		const expected: Record<string, unknown[]> = {
			A1: [46, 4, '50000', 4, 5, 5, 5, 'loyal'],
			A2: [81, 3, '60000', 3, 5, 5, 5, 'loyal'],
			B1: [46, 1, '20000', 4, 2, 4, 3, 'potential_loyalist'],
			B2: [10, 2, '5000', 5, 4, 2, 3, 'potential_loyalist'],
			C1: [302, 1, '19999.99', 1, 2, 4, 3, 'at_risk'],
			D1: [107, 2, '17900', 1, 4, 3, 4, 'at_risk'],
			M80: [102, 2, '18000', 2, 4, 3, 4, 'at_risk'],
			N1: [0, 1, '300', 5, 2, 1, 2, 'potential_loyalist'],
			H1: [90, 2, '6000', 2, 4, 2, 3, 'at_risk'],
			X1: [60, 1, '5000', 3, 2, 2, 2, 'about_to_sleep']
		};
		expect(
			Object.fromEntries(
				list.map((r) => [
					r.accountId,
					[
						r.recencyDays,
						r.frequency,
						r.monetary,
						r.rScore,
						r.fScore,
						r.mScore,
						r.fmScore,
						r.rfmSegment
					]
				])
			)
		).toEqual(expected);
		expect(byId(list).N1!.lastOrder).toBe('2025-06-30');
		expect(byId(list).X1!.lastOrder).toBe('2025-05-01');
	});

	test('fewer than five scored accounts, all with the same frequency', async () => {
		// As of 2023-06-30 (lookback 2022-07-01 … 2023-06-30) only A1 (03-01, 100), B2 (05-01,
		// 1,000) and A2 (06-01, 500) have an order: n = 3, score = 1 + ⌊(10b + 5e) / 6⌋.
		// R: A1 121 days (b0 → 1), B2 60 (b1 → 3), A2 29 (b2 → 5). F: all 1 (e3: 15/6 → 3).
		// M: A1 100 → 1, A2 500 → 3, B2 1,000 → 5. FM: A1 ⌊5/2⌋ = 2, A2 ⌊7/2⌋ = 3, B2 ⌊9/2⌋ = 4.
		// Segments: A1 (1, 2) lost, A2 (5, 3) potential_loyalist, B2 (3, 4) loyal.
		const { rows: list } = await rfmAccounts(t.db, { asOf: '2023-06-30', sort: 'account_id' });
		expect(
			list.map((r) => [r.accountId, r.recencyDays, r.rScore, r.fScore, r.mScore, r.rfmSegment])
		).toEqual([
			['A1', 121, 1, 3, 1, 'lost'],
			['A2', 29, 5, 3, 3, 'potential_loyalist'],
			['B2', 60, 3, 3, 5, 'loyal']
		]);
	});

	test('segment filter, sort, paging, account filters and scope', async () => {
		// at_risk: C1, D1, M80, H1; by monetary descending 19,999.99, 18,000, 17,900, 6,000.
		const atRisk = await rfmAccounts(t.db, { asOf: AS_OF, segment: 'at_risk' });
		expect(atRisk.rows.map((r) => r.accountId)).toEqual(['C1', 'M80', 'D1', 'H1']);
		const page2 = await rfmAccounts(t.db, { asOf: AS_OF, segment: 'at_risk', limit: 2, offset: 2 });
		expect(page2.rows.map((r) => r.accountId)).toEqual(['D1', 'H1']);
		// Most recent first: N1 0, B2 10, then A1 and B1 tied at 46 (by id).
		const recent = await rfmAccounts(t.db, { asOf: AS_OF, sort: 'recency', limit: 4 });
		expect(recent.rows.map((r) => r.accountId)).toEqual(['N1', 'B2', 'A1', 'B1']);
		// 华东: A1, B1, C1, N1 scored (P1, O1 are not); scores stay those of the whole population.
		const east = await rfmAccounts(t.db, {
			asOf: AS_OF,
			filters: { region: ['华东'] },
			sort: 'account_id'
		});
		expect(east.rows.map((r) => [r.accountId, r.rScore])).toEqual([
			['A1', 4],
			['B1', 4],
			['C1', 1],
			['N1', 5]
		]);
		const wang = await rfmAccounts(t.db, {
			asOf: AS_OF,
			scope: { owners: ['wang@x.cn'] },
			sort: 'account_id'
		});
		expect(wang.rows.map((r) => r.accountId)).toEqual(['A2', 'B2', 'H1']);
		const none = await rfmAccounts(t.db, { asOf: AS_OF, scope: { owners: [] } });
		expect(none.rows).toEqual([]);
		await expect(rfmAccounts(t.db, { asOf: AS_OF, segment: 'vip' as never })).rejects.toThrow(
			AnalyticsError
		);
	});

	test('segment map: accounts, revenue and shares per segment, and the R × FM grid', async () => {
		const map = await rfmSegmentMap(t.db, { asOf: AS_OF });
		const total = 50000 + 60000 + 20000 + 5000 + 19999.99 + 17900 + 18000 + 300 + 6000 + 5000;
		expect(map.scoredAccounts).toBe(10);
		expect(Number(map.revenue)).toBeCloseTo(total, 2);
		const seg = Object.fromEntries(map.segments.map((s) => [s.segment, s]));
		expect(map.segments).toHaveLength(11);
		expect([seg.loyal!.accounts, Number(seg.loyal!.revenue)]).toEqual([2, 110000]);
		expect(seg.loyal!.revenueShare).toBeCloseTo(110000 / total, 12);
		expect(seg.loyal!.accountShare).toBeCloseTo(0.2, 12);
		expect([seg.at_risk!.accounts, seg.at_risk!.revenue]).toEqual([4, '61899.99']);
		expect([seg.potential_loyalist!.accounts, seg.potential_loyalist!.revenue]).toEqual([
			3,
			'25300'
		]);
		expect([seg.about_to_sleep!.accounts, seg.about_to_sleep!.revenue]).toEqual([1, '5000']);
		expect([seg.champions!.accounts, seg.champions!.revenue, seg.champions!.revenueShare]).toEqual([
			0,
			'0',
			0
		]);
		// Cells (R, FM): (1,3) C1; (1,4) D1; (2,3) H1; (2,4) M80; (3,2) X1; (3,5) A2;
		// (4,3) B1; (4,5) A1; (5,2) N1; (5,3) B2.
		expect(map.grid.map((c) => [c.r, c.fm, c.accounts, c.segment])).toEqual([
			[1, 3, 1, 'at_risk'],
			[1, 4, 1, 'at_risk'],
			[2, 3, 1, 'at_risk'],
			[2, 4, 1, 'at_risk'],
			[3, 2, 1, 'about_to_sleep'],
			[3, 5, 1, 'loyal'],
			[4, 3, 1, 'potential_loyalist'],
			[4, 5, 1, 'loyal'],
			[5, 2, 1, 'potential_loyalist'],
			[5, 3, 1, 'potential_loyalist']
		]);
		// Filtered to the enterprise segment: A1 and A2, both loyal.
		const ent = await rfmSegmentMap(t.db, { asOf: AS_OF, filters: { segment: ['enterprise'] } });
		expect(ent.scoredAccounts).toBe(2);
		expect(
			ent.segments.filter((s) => s.accounts > 0).map((s) => [s.segment, s.accountShare])
		).toEqual([['loyal', 1]]);
	});

	test('a refresh without the segments step: the reads say what to do', async () => {
		await expect(rfmAccounts(t.db, { asOf: '2024-12-31' })).rejects.toThrow(
			/run tenure refresh --as-of 2024-12-31/
		);
		await expect(lifecycleSummary(t.db, { asOf: '2024-01-01' })).rejects.toThrow(AnalyticsError);
	});
});

describe('tiers', () => {
	test('tier boundaries: exactly 50,000 with 4 quarters is A, 60,000 with 3 quarters (75 %) is not', async () => {
		const { rows: list } = await tierAccounts(t.db, { asOf: AS_OF, sort: 'account_id' });
		expect(
			Object.fromEntries(list.map((r) => [r.accountId, [r.revenue12m, r.repurchaseRate, r.tier]]))
		).toEqual({
			// revenue 50,000 ≥ 50,000 and 4/4 > 0.8: A.
			A1: ['50000', 1, 'A'],
			// 60,000 but 3/4 = 0.75, not > 0.8: B (revenue ≥ 20,000).
			A2: ['60000', 0.75, 'B'],
			// exactly 20,000 (≥ tier B's 20,000), 1 quarter: B.
			B1: ['20000', 0.25, 'B'],
			// 5,000, but 2/4 = 0.5 ≥ 0.5: B.
			B2: ['5000', 0.5, 'B'],
			// 19,999.99 < 20,000 and 1 quarter: C.
			C1: ['19999.99', 0.25, 'C'],
			D1: ['17900', 0.5, 'B'],
			M80: ['18000', 0.5, 'B'],
			// N1's 700 after D does not count.
			N1: ['300', 0.25, 'C'],
			H1: ['6000', 0.5, 'B'],
			X1: ['5000', 0.25, 'C'],
			P1: ['0', 0, 'C'],
			O1: ['0', 0, 'C']
		});
		const a = await tierAccounts(t.db, { asOf: AS_OF, tier: 'B', limit: 2 });
		// B by revenue descending: A2 60,000, B1 20,000.
		expect(a.rows.map((r) => r.accountId)).toEqual(['A2', 'B1']);
	});

	test('summary per tier, and with a filter', async () => {
		const s = await tierSummary(t.db, { asOf: AS_OF });
		const bRevenue = 60000 + 20000 + 5000 + 17900 + 18000 + 6000;
		const cRevenue = 19999.99 + 300 + 5000;
		const total = 50000 + bRevenue + cRevenue;
		expect(s.accounts).toBe(12);
		expect(Number(s.revenue)).toBeCloseTo(total, 2);
		expect(s.tiers.map((r) => [r.tier, r.accounts, Number(r.revenue)])).toEqual([
			['A', 1, 50000],
			['B', 6, bRevenue],
			['C', 5, Number(cRevenue.toFixed(2))]
		]);
		expect(s.tiers[0]!.revenueShare).toBeCloseTo(50000 / total, 12);
		expect(s.tiers[2]!.accountShare).toBeCloseTo(5 / 12, 12);
		// 华北: D1 (B), M80 (B), X1 (C).
		const north = await tierSummary(t.db, { asOf: AS_OF, filters: { region: ['华北'] } });
		expect(north.tiers.map((r) => [r.tier, r.accounts, r.revenue])).toEqual([
			['A', 0, '0'],
			['B', 2, '35900'],
			['C', 1, '5000']
		]);
	});
});

describe('lifecycle', () => {
	test('the stage of every account', async () => {
		const { rows: list } = await lifecycleAccounts(t.db, { asOf: AS_OF, sort: 'account_id' });
		expect(Object.fromEntries(list.map((r) => [r.accountId, [r.stage, r.healthBand]]))).toEqual({
			// 6m 25,000 = prev 25,000, first order 2023-03-01 (tenure > 1 year): mature.
			A1: ['mature', 'green'],
			// 40,000 ≥ 1.2 × 20,000: growth.
			A2: ['growth', null],
			// first order 46 days ago (< 180): growth.
			B1: ['growth', null],
			// 2,500 and 2,500, since 2023: mature.
			B2: ['mature', null],
			// last order 2024-09-01, 302 days ago (≥ 180): churned.
			C1: ['churned', null],
			// 7,900 < 0.8 × 10,000 = 8,000: decline.
			D1: ['decline', null],
			// 8,000 is exactly 0.8 × 10,000, not below: mature.
			M80: ['mature', null],
			// first order on the as-of day: growth.
			N1: ['growth', null],
			// flat revenue but health red: decline.
			H1: ['decline', 'red'],
			// first order 60 days ago: growth.
			X1: ['growth', null],
			// no counted order (only a cancelled one): potential.
			P1: ['potential', null],
			// last order 2024-03-01: churned.
			O1: ['churned', null]
		});
		const d1 = byId(list).D1!;
		expect([d1.firstOrder, d1.revenue6m, d1.revenuePrev6m]).toEqual([
			'2022-04-01',
			'7900',
			'10000'
		]);
		expect(byId(list).N1!.firstOrder).toBe('2025-06-30');
		expect(byId(list).P1!.firstOrder).toBeNull();
	});

	test('summary per stage, filters and scope', async () => {
		const s = await lifecycleSummary(t.db, { asOf: AS_OF });
		expect(s.accounts).toBe(12);
		expect(s.stages.map((r) => [r.stage, r.accounts])).toEqual([
			['potential', 1],
			['growth', 4],
			['mature', 3],
			['decline', 2],
			['churned', 2]
		]);
		// decline: D1 7,900 + H1 3,000 in the last 6 months; 10,000 + 3,000 before.
		expect([s.stages[3]!.revenue6m, s.stages[3]!.revenuePrev6m]).toEqual(['10900', '13000']);
		expect(s.stages[1]!.accountShare).toBeCloseTo(4 / 12, 12);
		// Owner li: A1 mature, B1 growth, C1 churned, N1 growth, P1 potential, O1 churned.
		const li = await lifecycleSummary(t.db, { asOf: AS_OF, filters: { owner: ['li@x.cn'] } });
		expect(li.stages.map((r) => r.accounts)).toEqual([1, 2, 1, 0, 2]);
		const declining = await lifecycleAccounts(t.db, {
			asOf: AS_OF,
			stage: 'decline',
			scope: { accountIds: ['H1', 'A1'] }
		});
		expect(declining.rows.map((r) => r.accountId)).toEqual(['H1']);
	});
});

describe('Pareto', () => {
	test('shares of the top accounts, by hand', async () => {
		// Accounts with 12-month revenue > 0 (P1 and O1 have none): n = 10, descending
		// 60,000, 50,000, 20,000, 19,999.99, 18,000, 17,900, 6,000, 5,000, 5,000, 300.
		const total = 202199.99;
		const p = await paretoCurve(t.db, { asOf: AS_OF, points: 10 });
		expect(p.accounts).toBe(10);
		expect(p.revenue).toBe('202199.99');
		const marks = p.marks.map((m) => [m.accountShare, m.revenueShare]);
		// Top 1 % = 0.1 account, 5 % = 0.5 account (of the largest, 60,000), 10 % = 1, 20 % = 2,
		// 50 % = 5 accounts, 100 % = all.
		const expected = [
			[0.01, (0.1 * 60000) / total],
			[0.05, (0.5 * 60000) / total],
			[0.1, 60000 / total],
			[0.2, 110000 / total],
			[0.5, (110000 + 20000 + 19999.99 + 18000) / total],
			[1, 1]
		];
		marks.forEach(([x, share], i) => {
			expect(x).toBe(expected[i]![0]);
			expect(share).toBeCloseTo(expected[i]![1]!, 12);
		});
		expect(p.curve).toHaveLength(11);
		expect(p.curve[0]).toEqual({ accountShare: 0, revenueShare: 0 });
		// 30 %: the top 3 accounts.
		expect(p.curve[3]!.revenueShare).toBeCloseTo(130000 / total, 12);
	});

	test('with a filter, and with no revenue at all', async () => {
		// Enterprise: 60,000 and 50,000. Top 20 % of 2 = 0.4 account: 0.4 × 60,000 / 110,000.
		const ent = await paretoCurve(t.db, {
			asOf: AS_OF,
			filters: { segment: ['enterprise'] },
			points: 4
		});
		expect(ent.marks[3]!.revenueShare).toBeCloseTo((0.4 * 60000) / 110000, 12);
		// 75 %: 1.5 accounts = 60,000 + 0.5 × 50,000.
		expect(ent.curve[3]!.revenueShare).toBeCloseTo(85000 / 110000, 12);
		const nobody = await paretoCurve(t.db, { asOf: AS_OF, scope: { accountIds: ['P1'] } });
		expect([nobody.accounts, nobody.marks[5]!.revenueShare]).toEqual([0, null]);
		await expect(paretoCurve(t.db, { asOf: AS_OF, points: 0 })).rejects.toThrow(AnalyticsError);
	});
});

describe('datasets', () => {
	test('rfm, tiers, lifecycle and pareto rows with their declared columns', async () => {
		for (const d of SEGMENT_DATASETS) {
			const data = await collect(d.name, d.name === 'pareto' ? { options: { points: '10' } } : {});
			expect(data.length).toBeGreaterThan(0);
			for (const row of data) expect(Object.keys(row)).toEqual(d.columns);
		}
		const rfm = await collect('rfm', { filters: { segment: ['enterprise'] } });
		expect(rfm).toEqual([
			{
				account_id: 'A1',
				name: 'Account A1',
				recency_days: 46,
				frequency: 4,
				monetary: '50000',
				r_score: 4,
				f_score: 5,
				m_score: 5,
				segment: 'loyal'
			},
			{
				account_id: 'A2',
				name: 'Account A2',
				recency_days: 81,
				frequency: 3,
				monetary: '60000',
				r_score: 3,
				f_score: 5,
				m_score: 5,
				segment: 'loyal'
			}
		]);
		expect((await collect('tiers')).length).toBe(12);
		const lifecycle = await collect('lifecycle', { scope: { accountIds: ['H1'] } });
		expect(lifecycle).toEqual([
			{
				account_id: 'H1',
				name: 'Account H1',
				stage: 'decline',
				first_order: '2022-05-10',
				revenue_6m: '3000',
				revenue_prev_6m: '3000',
				health_band: 'red'
			}
		]);
		expect((await collect('pareto', { options: { points: '10' } })).length).toBe(11);
		await expect(collect('pareto', { options: { points: '7' } })).rejects.toThrow(AnalyticsError);
	});
});

describe('settings', () => {
	test('tier thresholds, the decline ratio and the RFM lookback are read from the settings', async () => {
		await setTenantSetting(t.db, 'tier_a_repurchase', '0.75');
		await refresh(AS_OF);
		// A2's repurchase rate 0.75 equals the threshold: A needs more, still B. A1 (1.0) stays A.
		let tiers = byId((await tierAccounts(t.db, { asOf: AS_OF })).rows);
		expect([tiers.A1!.tier, tiers.A2!.tier]).toEqual(['A', 'B']);

		await setTenantSetting(t.db, 'tier_a_repurchase', '0.7');
		await setTenantSetting(t.db, 'tier_a_revenue', '50000.01');
		await setTenantSetting(t.db, 'lifecycle_decline_ratio', '0.75');
		await setTenantSetting(t.db, 'rfm_lookback_days', '30');
		await refresh(AS_OF);
		// A1's 50,000 < 50,000.01: B; A2: 0.75 > 0.7 and 60,000: A.
		tiers = byId((await tierAccounts(t.db, { asOf: AS_OF })).rows);
		expect([tiers.A1!.tier, tiers.A2!.tier]).toEqual(['B', 'A']);
		// D1: 7,900 ≥ 0.75 × 10,000: no longer decline; tenure since 2022: mature.
		const stages = byId((await lifecycleAccounts(t.db, { asOf: AS_OF })).rows);
		expect(stages.D1!.stage).toBe('mature');
		// Lookback 30 days (2025-06-01 … 06-30): only B2 (06-20, 2,500) and N1 (06-30, 300).
		// n = 2: R B2 10 days (b0 → 1 + ⌊5/4⌋ = 2), N1 (b1 → 1 + ⌊15/4⌋ = 4); F both 1 (e2 → 3);
		// M N1 → 2, B2 → 4. FM: N1 ⌊6/2⌋ = 3, B2 ⌊8/2⌋ = 4. Segments: N1 (4, 3)
		// potential_loyalist, B2 (2, 4) at_risk.
		const rfm = await rfmAccounts(t.db, { asOf: AS_OF, sort: 'account_id' });
		expect(rfm.rows.map((r) => [r.accountId, r.rScore, r.fScore, r.mScore, r.rfmSegment])).toEqual([
			['B2', 2, 3, 4, 'at_risk'],
			['N1', 4, 3, 2, 'potential_loyalist']
		]);
		for (const [key, value] of [
			['tier_a_repurchase', '0.8'],
			['tier_a_revenue', '50000'],
			['lifecycle_decline_ratio', '0.8'],
			['rfm_lookback_days', '365']
		]) {
			await setTenantSetting(t.db, key!, value!);
		}
	});
});

describe('SQL against the TypeScript reference', () => {
	test('scores, segments and stages of random accounts with many ties', async () => {
		// Runs last: it adds accounts and makes USD the reporting currency. Amounts come from a
		// few values and days from a few weeks so that ties are common; some orders are outside the
		// lookback, after D, or not counted.
		let seed = 20250630;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
		const ids = Array.from({ length: 120 }, (_, i) => `R${String(i).padStart(3, '0')}`);
		const days = [
			'2024-05-01',
			'2024-06-30',
			'2024-07-01',
			'2024-12-31',
			'2025-03-15',
			'2025-06-01',
			'2025-06-29',
			'2025-06-30',
			'2025-07-01'
		];
		const statuses = ['completed', 'paid', 'shipped', 'completed', 'cancelled', 'refunded'];
		const orders: Record<string, string | number>[] = [];
		for (const id of ids) {
			const count = Math.floor(rand() * 5);
			for (let k = 0; k < count; k++) {
				orders.push({
					order_id: `${id}-${k}`,
					account_id: id,
					ordered_at: `${pick(days)} ${pick(['00:30:00', '12:00:00', '23:30:00'])}`,
					status: pick(statuses),
					currency: 'USD',
					net_amount: `${pick([100, 200, 300, 500])}.00`
				});
			}
		}
		await loadEntity(
			t.db,
			files,
			'accounts',
			ids.map((id) => ({
				account_id: id,
				name: id,
				segment: 'rnd',
				created_at: '2022-01-01 00:00:00'
			}))
		);
		await loadEntity(t.db, files, 'orders', orders);
		await setTenantSetting(t.db, 'reporting_currency', 'USD');
		const result = await refresh(AS_OF);
		expect(result.currency).toBe('USD');

		// The reference: counted orders on local days 2024-07-01 … 2025-06-30 (the ordered_at
		// strings are local times), scored with analytics/segments/scoring.ts.
		const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
		const stats = new Map<string, { last: string; f: number; m: number }>();
		for (const o of orders) {
			const day = String(o.ordered_at).slice(0, 10);
			if (!(REVENUE_STATUSES as readonly string[]).includes(String(o.status))) continue;
			if (day > AS_OF || dayNumber(day) <= dayNumber(AS_OF) - 365) continue;
			const s = stats.get(String(o.account_id)) ?? { last: day, f: 0, m: 0 };
			stats.set(String(o.account_id), {
				last: day > s.last ? day : s.last,
				f: s.f + 1,
				m: s.m + Number(o.net_amount)
			});
		}
		const scoredIds = [...stats.keys()];
		expect(scoredIds.length).toBeGreaterThan(40);
		const scores = scoreRfm(
			scoredIds.map((id) => ({
				recencyDays: dayNumber(AS_OF) - dayNumber(stats.get(id)!.last),
				frequency: stats.get(id)!.f,
				monetary: stats.get(id)!.m
			}))
		);
		const expected = Object.fromEntries(
			scoredIds.map((id, i) => [
				id,
				[
					dayNumber(AS_OF) - dayNumber(stats.get(id)!.last),
					stats.get(id)!.f,
					stats.get(id)!.m,
					scores[i]!.r,
					scores[i]!.f,
					scores[i]!.m,
					scores[i]!.fm,
					scores[i]!.segment
				]
			])
		);
		const got: RfmAccountRow[] = (await rfmAccounts(t.db, { asOf: AS_OF, limit: 1000 })).rows;
		expect(
			Object.fromEntries(
				got.map((r) => [
					r.accountId,
					[
						r.recencyDays,
						r.frequency,
						Number(r.monetary),
						r.rScore,
						r.fScore,
						r.mScore,
						r.fmScore,
						r.rfmSegment
					]
				])
			)
		).toEqual(expected);
		// Every score occurs, ties included.
		expect(new Set(got.map((r) => r.mScore)).size).toBeGreaterThan(2);

		// Lifecycle: the SQL rule against lifecycleStage on the snapshot's inputs of every account.
		const settings = await tenantSettings(t.db);
		const snapshot = await rows<Record<string, unknown>>(
			t.db,
			`SELECT account_id, toString(first_activity) AS first_activity, churned,
			        toFloat64(revenue_6m) AS r6, toFloat64(revenue_prev_6m) AS p6
			 FROM account_snapshot WHERE refresh_id = '${result.refreshId}'`
		);
		const stages = byId((await lifecycleAccounts(t.db, { asOf: AS_OF, limit: 1000 })).rows);
		expect(snapshot).toHaveLength(ids.length + ACCOUNTS.length);
		for (const s of snapshot) {
			const id = String(s.account_id);
			expect([id, stages[id]!.stage]).toEqual([
				id,
				lifecycleStage(
					{
						asOf: AS_OF,
						firstActivity: s.first_activity === null ? null : String(s.first_activity),
						churned: Number(s.churned) === 1,
						healthRed: id === 'H1',
						revenue6m: Number(s.r6),
						revenuePrev6m: Number(s.p6)
					},
					settings
				)
			]);
		}
	});
});
