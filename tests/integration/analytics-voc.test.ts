import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setTenantSetting } from '../../analytics/config.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import {
	accountNps,
	npsComments,
	npsSplit,
	npsTrend,
	VOC_DATASETS,
	vocStep
} from '../../analytics/voc/index.ts';
import { AnalyticsError } from '../../analytics/errors.ts';
import { openTestDb } from '../factories/db.ts';
import { loadEntity } from '../factories/core.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * NPS over hand-built survey responses (TENURE_TZ Asia/Shanghai, as of 2026-03-31, default
 * nps_min_sample 30). Accounts: N1 smb (alice), N2 enterprise (bob), N3 smb (alice),
 * N4 enterprise (bob).
 *
 * January 2026: exactly 30 NPS responses — N1 10 promoters, 5 passives, 5 detractors; N2 2
 * promoters, 3 passives, 5 detractors — plus a CES response (score 2) that is not NPS.
 * February: none. March: N1 9 at 03-01 00:30 local (02-28 16:30 UTC: March locally, February in
 * UTC), N3 10 at 03-15, N2 6 at 03-31 23:59 (the as-of day itself); N1 8 at 04-01 00:10 is after D.
 * December 2025: N3 3. N4: 0 on 2025-03-31, exactly 12 months before D (outside the window).
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const D = '2026-03-31';

let seq = 0;
const response = (
	account: string,
	score: number,
	at: string,
	comment = '',
	type = 'nps'
): Record<string, string | number> => ({
	response_id: `R${String(++seq).padStart(3, '0')}`,
	account_id: account,
	survey_type: type,
	score,
	comment,
	responded_at: at
});
const repeat = (n: number, make: () => Record<string, string | number>) =>
	Array.from({ length: n }, make);

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(t.db, files, 'owners', [
		{ owner_email: 'alice@x.cn', name: 'Alice', team: 'East', manager_email: 'm@x.cn' },
		{ owner_email: 'bob@x.cn', name: 'Bob', team: 'South', manager_email: 'm@x.cn' }
	]);
	await loadEntity(
		t.db,
		files,
		'accounts',
		[
			['N1', 'smb', 'alice@x.cn'],
			['N2', 'enterprise', 'bob@x.cn'],
			['N3', 'smb', 'alice@x.cn'],
			['N4', 'enterprise', 'bob@x.cn']
		].map(([id, segment, owner]) => ({
			account_id: id!,
			name: `Account ${id}`,
			segment: segment!,
			owner_email: owner!,
			created_at: '2024-01-01 00:00:00'
		}))
	);
	await loadEntity(t.db, files, 'orders', [
		{
			order_id: 'O1',
			account_id: 'N1',
			ordered_at: '2026-01-05 10:00:00',
			status: 'completed',
			currency: 'CNY',
			net_amount: '100.00'
		}
	]);
	const jan = '2026-01-10 10:00:00';
	await loadEntity(t.db, files, 'survey_responses', [
		...repeat(10, () => response('N1', 10, jan)),
		...repeat(5, () => response('N1', 7, jan)),
		...repeat(5, () => response('N1', 0, jan)),
		...repeat(2, () => response('N2', 9, jan, '服务很好，物流快')),
		...repeat(3, () => response('N2', 8, jan)),
		...repeat(4, () => response('N2', 6, jan)),
		response('N2', 5, '2026-01-20 10:00:00', 'Price up 50% — unacceptable'),
		response('N1', 2, '2026-01-15 10:00:00', '', 'ces'),
		response('N1', 9, '2026-03-01 00:30:00', 'Great support'),
		response('N3', 10, '2026-03-15 10:00:00', '物流准时'),
		response('N2', 6, '2026-03-31 23:59:00', 'Slow delivery, 物流慢'),
		response('N1', 8, '2026-04-01 00:10:00', 'after the as-of date'),
		response('N3', 3, '2025-12-10 10:00:00', 'Too many bugs'),
		response('N4', 0, '2025-03-31 12:00:00', 'a year ago')
	]);
	await refreshAnalytics(t.db, { asOf: D, steps: [vocStep] });
}, 120_000);
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

describe('NPS trend', () => {
	test('exactly 30 responses are not a low sample; the margin of error by hand; empty months are null', async () => {
		const trend = await npsTrend(t.db, { asOf: D, grain: 'month', periods: 4 });
		expect(trend.map((r) => [r.period, r.n])).toEqual([
			['2025-12-01', 1],
			['2026-01-01', 30],
			['2026-02-01', 0],
			['2026-03-01', 3]
		]);
		const jan = trend[1]!;
		// 12 promoters, 8 passives, 10 detractors of 30: NPS = (12 − 10) / 30 · 100.
		const pPlus = 12 / 30;
		const pMinus = 10 / 30;
		expect(jan).toMatchObject({ promoters: 12, passives: 8, detractors: 10, lowSample: false });
		expect(jan.nps).toBeCloseTo(((12 - 10) / 30) * 100, 10);
		// 1.96 · sqrt((0.4 + 0.3333 − 0.0667²) / 30) · 100 ≈ 30.55 points.
		expect(jan.marginOfError).toBeCloseTo(
			1.96 * Math.sqrt((pPlus + pMinus - (pPlus - pMinus) ** 2) / 30) * 100,
			10
		);
		expect(jan.marginOfError).toBeCloseTo(30.55, 2);
		// February has no responses: n 0 and no NPS (not an NPS of 0), low sample.
		expect(trend[2]).toEqual({
			period: '2026-02-01',
			group: '',
			n: 0,
			promoters: 0,
			passives: 0,
			detractors: 0,
			nps: null,
			marginOfError: null,
			lowSample: true
		});
		// March: 9 (03-01 00:30 local) and 10 promote, 6 detracts; the 04-01 response is after D.
		expect(trend[3]).toMatchObject({ promoters: 2, passives: 0, detractors: 1, lowSample: true });
		expect(trend[3]!.nps).toBeCloseTo(((2 - 1) / 3) * 100, 10);
	});

	test('with the minimum raised to 31, the same 30 responses are a low sample', async () => {
		await setTenantSetting(t.db, 'nps_min_sample', '31');
		try {
			const trend = await npsTrend(t.db, { asOf: D, grain: 'month', periods: 3 });
			expect(trend.find((r) => r.period === '2026-01-01')?.lowSample).toBe(true);
		} finally {
			await setTenantSetting(t.db, 'nps_min_sample', '30');
		}
	});

	test('a response at 00:30 on March 1st in Shanghai belongs to March', async () => {
		const [feb, mar] = await npsTrend(t.db, { asOf: D, grain: 'month', periods: 2 });
		expect(feb?.n).toBe(0);
		expect(mar?.n).toBe(3);
	});

	test('quarters, groups, filters and scope', async () => {
		const quarters = await npsTrend(t.db, { asOf: D, grain: 'quarter', periods: 2 });
		// Q4 2025: N3's 3. Q1 2026: 12 + 2 promoters, 8 passives, 10 + 1 detractors = 33.
		expect(quarters.map((r) => [r.period, r.n])).toEqual([
			['2025-10-01', 1],
			['2026-01-01', 33]
		]);
		expect(quarters[0]!.nps).toBe(-100);
		expect(quarters[1]!.nps).toBeCloseTo(((14 - 11) / 33) * 100, 10);
		const bySegment = await npsTrend(t.db, {
			asOf: D,
			grain: 'month',
			by: 'segment',
			periods: 2
		});
		// Every group seen in the window in every period; February empty for both.
		expect(bySegment.map((r) => [r.period, r.group, r.n])).toEqual([
			['2026-02-01', 'enterprise', 0],
			['2026-02-01', 'smb', 0],
			// N2's 6 on the as-of day; N1's 9 and N3's 10.
			['2026-03-01', 'enterprise', 1],
			['2026-03-01', 'smb', 2]
		]);
		const enterprise = await npsTrend(t.db, {
			asOf: D,
			grain: 'month',
			periods: 3,
			filters: { segment: ['enterprise'] }
		});
		// N2 in January: 2 promoters, 3 passives, 5 detractors of 10 → −30, a low sample.
		expect(enterprise[0]).toMatchObject({ period: '2026-01-01', n: 10, nps: -30, lowSample: true });
		const alice = await npsTrend(t.db, {
			asOf: D,
			grain: 'month',
			periods: 3,
			scope: { owners: ['alice@x.cn'] }
		});
		// N1 and N3: January 20 (10, 5, 5), March 2 (N1's 9, N3's 10).
		expect(alice.map((r) => [r.n, r.nps])).toEqual([
			[20, ((10 - 5) / 20) * 100],
			[0, null],
			[2, 100]
		]);
		await expect(
			npsTrend(t.db, { asOf: D, grain: 'week' as 'month', periods: 3 })
		).rejects.toBeInstanceOf(AnalyticsError);
	});

	test('the split by segment over the last 12 months', async () => {
		const split = await npsSplit(t.db, { asOf: D, by: 'segment' });
		// enterprise: N2 January 2/3/5 + March 6 → 2/3/6 of 11. N4's 2025-03-31 response is
		// exactly 12 months old: outside (D − 12 months, D].
		// smb: N1 January 10/5/5 + March 9; N3 December 3 + March 10 → 12/5/6 of 23.
		expect(split.map((r) => [r.group, r.promoters, r.passives, r.detractors])).toEqual([
			['enterprise', 2, 3, 6],
			['smb', 12, 5, 6]
		]);
		expect(split[1]!.nps).toBeCloseTo(((12 - 6) / 23) * 100, 10);
	});
});

describe('account NPS and verbatims', () => {
	test("an account's NPS is its latest response of the last 12 months", async () => {
		const { total, rows } = await accountNps(t.db, { asOf: D });
		// N3 answered 3 in December and 10 in March: 10 counts. N1's 04-01 response is after D.
		// N4's only response is 12 months old: no NPS. Newest first.
		expect(total).toBe(3);
		expect(rows.map((r) => [r.accountId, r.score, r.category])).toEqual([
			['N2', 6, 'detractor'],
			['N3', 10, 'promoter'],
			['N1', 9, 'promoter']
		]);
		const detractors = await accountNps(t.db, { asOf: D, category: 'detractor' });
		expect(detractors.rows.map((r) => r.accountId)).toEqual(['N2']);
		const alice = await accountNps(t.db, { asOf: D, scope: { owners: ['alice@x.cn'] } });
		expect(alice.rows.map((r) => r.accountId)).toEqual(['N3', 'N1']);
	});

	test('verbatims: newest first, by category, searched as a parameter', async () => {
		const all = await npsComments(t.db, { asOf: D, limit: 3 });
		// Comments through D (no start by default): N2 03-31, N3 03-15, N1 03-01, N2 01-20,
		// N2 ×2 01-10, N3 12-10, N4 2025-03-31 = 8.
		expect(all.total).toBe(8);
		expect(all.rows.map((r) => r.comment)).toEqual([
			'Slow delivery, 物流慢',
			'物流准时',
			'Great support'
		]);
		const logistics = await npsComments(t.db, { asOf: D, search: '物流', limit: 10 });
		expect(logistics.rows.map((r) => [r.accountId, r.category])).toEqual([
			['N2', 'detractor'],
			['N3', 'promoter'],
			['N2', 'promoter'],
			['N2', 'promoter']
		]);
		const detractors = await npsComments(t.db, {
			asOf: D,
			category: 'detractor',
			search: 'SLOW',
			limit: 10
		});
		expect(detractors.rows.map((r) => r.comment)).toEqual(['Slow delivery, 物流慢']);
		// LIKE wildcards and quotes are text, not syntax.
		const percent = await npsComments(t.db, { asOf: D, search: '%', limit: 10 });
		expect(percent.rows.map((r) => r.comment)).toEqual(['Price up 50% — unacceptable']);
		const quote = await npsComments(t.db, { asOf: D, search: "'; DROP TABLE x; --", limit: 10 });
		expect(quote).toMatchObject({ total: 0, rows: [] });
		const page2 = await npsComments(t.db, { asOf: D, limit: 3, offset: 6 });
		expect(page2.rows.map((r) => r.comment)).toEqual(['Too many bugs', 'a year ago']);
		const since = await npsComments(t.db, { asOf: D, from: '2025-12-31', limit: 10 });
		expect(since.total).toBe(6);
	});

	test('the nps and nps-comments datasets have their documented columns', async () => {
		const byName = new Map(VOC_DATASETS.map((d) => [d.name, d]));
		for (const [name, options] of [
			['nps', { grain: 'quarter', by: 'segment' }],
			['nps-comments', { category: 'promoter' }]
		] as const) {
			const dataset = byName.get(name)!;
			const pages: Record<string, unknown>[][] = [];
			for await (const page of dataset.run(t.db, { asOf: D, options })) pages.push([...page]);
			expect(Object.keys(pages[0]?.[0] ?? {}), name).toEqual(dataset.columns);
		}
	});
});
