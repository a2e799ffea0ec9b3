import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { churnLabels } from '../../analytics/health/backtest.ts';
import { computeFeatures, FEATURE_NAMES, type FeatureMatrix } from '../../models/features.ts';
import {
	buildTrainingSet,
	CHURN_FEATURE_COLUMNS,
	CHURN_FEATURE_DATASETS,
	snapshotDates
} from '../../models/training-set.ts';
import { openTestDb } from '../factories/db.ts';
import { loadEntity } from '../factories/core.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * The churn features on hand-built accounts loaded through the real ingest path (TENURE_TZ
 * Asia/Shanghai, default settings: business model both, churn after 180 days without an order,
 * 30 days' grace after a subscription, tier A ≥ 50,000 and > 80 % of quarters, B ≥ 20,000 or ≥ 50 %;
 * SLA high 4 h/24 h, normal 24 h/72 h, urgent 1 h/8 h). D = 2026-01-31: "90 d" = (2025-11-02, D],
 * "previous 90 d" = (2025-08-04, 2025-11-02], "previous 180 d" = (2025-02-05, 2025-08-04],
 * "12 months" = (2025-01-31, D], "previous 12 months" = (2024-01-31, 2025-01-31].
 * Every expected value is worked out in the comment next to it.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const D = '2026-01-31';

type Row = Record<string, string | number | null>;
const order = (
	id: string,
	account: string,
	at: string,
	amount: number,
	status = 'completed'
): Row => ({
	order_id: id,
	account_id: account,
	ordered_at: at,
	status,
	currency: 'CNY',
	net_amount: amount.toFixed(2)
});
const line = (order: string, no: number, sku: string): Row => ({
	order_id: order,
	line_no: no,
	sku,
	quantity: '1',
	unit_price: '1',
	net_amount: '1.00'
});
const ticket = (
	id: string,
	account: string,
	created: string,
	priority: string,
	extra: Row = {}
): Row => ({
	ticket_id: id,
	account_id: account,
	created_at: created,
	first_response_at: null,
	resolved_at: null,
	priority,
	ticket_type: 'question',
	status: 'open',
	csat: null,
	sentiment: null,
	...extra
});
const activity = (id: string, account: string, owner: string, at: string): Row => ({
	activity_id: id,
	account_id: account,
	owner_email: owner,
	activity_type: 'call',
	occurred_at: at
});
const nps = (id: string, account: string, score: number, at: string, type = 'nps'): Row => ({
	response_id: id,
	account_id: account,
	survey_type: type,
	score,
	responded_at: at
});

/** One account's features as an object (null when it is not in the population). */
function featuresOf(m: FeatureMatrix, id: string): Record<string, unknown> | null {
	const i = m.accountIds.indexOf(id);
	if (i < 0) return null;
	return Object.fromEntries(FEATURE_NAMES.map((n) => [n, m.columns[n][i]]));
}

let before: FeatureMatrix;

beforeAll(async () => {
	t = await openTestDb();
	const db = t.db;
	const account = (id: string, extra: Row = {}): Row => ({
		account_id: id,
		name: `Account ${id}`,
		created_at: '2024-01-01 00:00:00',
		...extra
	});
	await loadEntity(db, files, 'owners', [
		{ owner_email: 'o1@x.com', name: 'Owner One', team: 'east' },
		{ owner_email: 'o2@x.com', name: 'Owner Two', team: 'west' }
	]);
	await loadEntity(db, files, 'accounts', [
		account('F1', {
			segment: 'enterprise',
			industry: 'retail',
			region: 'east',
			owner_email: 'O1@x.com'
		}),
		account('F2'),
		account('F3', { segment: 'smb' }),
		account('F4', { segment: 'smb' }),
		account('F5', { segment: 'smb' }),
		account('F6', { segment: 'smb' })
	]);
	await loadEntity(db, files, 'orders', [
		// F1: purchase days 2025-01-10, 02-01, 07-15, 10-01, 11-15, 12-01 (two orders), 2026-01-01.
		order('F1-1', 'F1', '2025-01-10 10:00:00', 10_000),
		order('F1-2', 'F1', '2025-02-01 10:00:00', 2_000),
		order('F1-3', 'F1', '2025-07-15 10:00:00', 20_000),
		order('F1-4', 'F1', '2025-10-01 10:00:00', 15_000),
		order('F1-5', 'F1', '2025-11-15 10:00:00', 5_000),
		order('F1-6', 'F1', '2025-12-01 10:00:00', 5_000),
		order('F1-7', 'F1', '2025-12-01 16:00:00', 1_000),
		order('F1-8', 'F1', '2026-01-01 10:00:00', 4_000),
		order('F1-9', 'F1', '2026-01-20 10:00:00', 9_999, 'cancelled'),
		// F2: one order, nothing else.
		order('F2-1', 'F2', '2025-12-20 10:00:00', 100),
		// F3: 23:30 on D in Shanghai counts; 00:30 on D + 1 (16:30 UTC on D) does not.
		order('F3-1', 'F3', '2025-12-01 10:00:00', 100),
		order('F3-2', 'F3', '2026-01-31 23:30:00', 200),
		order('F3-3', 'F3', '2026-02-01 00:30:00', 400),
		// F4: churned on D (2025-06-01 + 180 = 2025-11-28); F6 never ordered: neither is active.
		order('F4-1', 'F4', '2025-05-01 10:00:00', 100),
		order('F4-2', 'F4', '2025-06-01 10:00:00', 100)
	]);
	await loadEntity(db, files, 'order_lines', [
		// F1's last-12-month orders carry SKUs A, A+B, C; F1-1 (2025-01-10) is older: D is not counted.
		line('F1-2', 1, 'A'),
		line('F1-3', 1, 'A'),
		line('F1-3', 2, 'B'),
		line('F1-4', 1, 'C'),
		line('F1-1', 1, 'D'),
		// Lines of a cancelled order do not count.
		line('F1-9', 1, 'E')
	]);
	await loadEntity(db, files, 'subscriptions', [
		{
			subscription_id: 'F1-S',
			account_id: 'F1',
			plan: 'pro',
			start_date: '2025-01-01',
			end_date: '2026-03-31',
			mrr: '100.00',
			currency: 'CNY',
			renewal_status: 'active'
		},
		// F5: ended 2026-01-10, in its 30 days' grace on D (until 2026-02-09): active, not running.
		{
			subscription_id: 'F5-S',
			account_id: 'F5',
			plan: 'basic',
			start_date: '2024-06-01',
			end_date: '2026-01-10',
			mrr: '50.00',
			currency: 'CNY',
			renewal_status: 'expired'
		}
	]);
	await loadEntity(db, files, 'usage_daily', [
		{ account_id: 'F1', day: '2025-09-15', active_users: 5, key_events: 100 },
		{ account_id: 'F1', day: '2025-12-15', active_users: 5, key_events: 40 }
	]);
	await loadEntity(db, files, 'tickets', [
		// F1: first response after 6 h > high 4 h (breach); a complaint rated 5, sentiment −0.5.
		ticket('T1', 'F1', '2026-01-10 10:00:00', 'high', {
			first_response_at: '2026-01-10 16:00:00',
			resolved_at: '2026-01-11 09:00:00',
			status: 'resolved',
			ticket_type: 'complaint',
			csat: 5,
			sentiment: '-0.5'
		}),
		// F1: within the normal targets (1 h, 24 h); rated 3, sentiment 0.25.
		ticket('T2', 'F1', '2026-01-20 10:00:00', 'normal', {
			first_response_at: '2026-01-20 11:00:00',
			resolved_at: '2026-01-21 10:00:00',
			status: 'resolved',
			csat: 3,
			sentiment: '0.25'
		}),
		// F1: before the 90 days.
		ticket('T3', 'F1', '2025-10-01 10:00:00', 'urgent', {
			csat: 1,
			sentiment: '-1',
			ticket_type: 'complaint'
		}),
		// F3: unanswered at the end of D: 4 h > urgent 1 h (breach); T6 is on D + 1 local time.
		ticket('T4', 'F3', '2026-01-31 20:00:00', 'urgent'),
		ticket('T6', 'F3', '2026-02-01 00:30:00', 'urgent')
	]);
	await loadEntity(db, files, 'survey_responses', [
		nps('N1', 'F1', 6, '2025-06-01 10:00:00'),
		nps('N2', 'F1', 8, '2025-11-01 10:00:00'),
		nps('N3', 'F1', 1, '2026-01-05 10:00:00', 'csat'),
		// F3: only a response older than 12 months.
		nps('N4', 'F3', 10, '2024-12-01 10:00:00')
	]);
	await loadEntity(db, files, 'invoices', [
		{
			invoice_id: 'I1',
			account_id: 'F1',
			issued_at: '2025-10-01',
			due_date: '2025-10-31',
			amount: '1000.00',
			currency: 'CNY',
			status: 'paid'
		},
		{
			invoice_id: 'I2',
			account_id: 'F1',
			issued_at: '2026-01-01',
			due_date: '2026-01-20',
			amount: '500.00',
			currency: 'CNY',
			status: 'open'
		}
	]);
	await loadEntity(db, files, 'payments', [
		// I1 paid in full on 2025-12-10: 40 days after its due date 2025-10-31.
		{
			payment_id: 'P1',
			invoice_id: 'I1',
			account_id: 'F1',
			paid_at: '2025-11-20',
			amount: '600.00'
		},
		{
			payment_id: 'P2',
			invoice_id: 'I1',
			account_id: 'F1',
			paid_at: '2025-12-10',
			amount: '400.00'
		}
	]);
	await loadEntity(db, files, 'activities', [
		// F1's owner (o1, stored as O1@x.com on the account) last on 2026-01-11: 20 days before D.
		activity('A1', 'F1', 'o1@x.com', '2026-01-11 10:00:00'),
		activity('A2', 'F1', 'o1@x.com', '2025-09-01 10:00:00'),
		// Another person in the last 12 months (o2) and one before them (o3).
		activity('A3', 'F1', 'o2@x.com', '2025-12-01 10:00:00'),
		activity('A4', 'F1', 'o3@x.com', '2024-12-01 10:00:00'),
		// F2 has no owner: its activities give no days since touch.
		activity('A5', 'F2', 'o2@x.com', '2026-01-30 10:00:00')
	]);
	before = await computeFeatures(db, { asOf: D });
});

afterAll(async () => {
	await t?.cleanup();
	files.cleanup();
});

describe('churn features as of D', () => {
	test('the population is the accounts active on D, as the labels define them', async () => {
		// F4 churned (2025-11-28), F6 never active; F5 counts through its subscription's grace.
		expect(before.accountIds).toEqual(['F1', 'F2', 'F3', 'F5']);
		const labels = await churnLabels(t.db, { asOf: D, horizonDays: 90, currency: 'CNY' });
		expect(
			labels
				.filter((l) => l.active)
				.map((l) => l.accountId)
				.sort()
		).toEqual(before.accountIds);
	});

	test('an account with every source, worked out by hand', () => {
		expect(featuresOf(before, 'F1')).toEqual({
			days_since_order: 30, // 2026-01-01 → 01-31
			median_gap_days: 38, // gaps 22, 164, 78, 45, 16, 31 → sorted 16 22 31 45 78 164 → (31 + 45) / 2
			recency_ratio: 30 / 38,
			orders_90d: 4, // 11-15, 12-01 ×2, 01-01 (the cancelled one does not count)
			orders_12m: 7, // all but 2025-01-10
			order_trend_90d: 4, // 4 ÷ 1 (10-01)
			revenue_90d: 15_000, // 5,000 + 5,000 + 1,000 + 4,000
			revenue_12m: 52_000, // 2,000 + 20,000 + 15,000 + 15,000
			revenue_trend_90d: 1, // 15,000 ÷ 15,000 (10-01)
			revenue_trend_180d: 1.5, // (15,000 + 15,000) ÷ 20,000 (07-15; 02-01 is before 02-05)
			revenue_trend_12m: 5.2, // 52,000 ÷ 10,000 (2025-01-10)
			tenure_days: 395, // first activity: the subscription of 2025-01-01
			subscription_active: 1,
			days_to_renewal: 59, // 2026-03-31 − 01-31
			mrr: 100,
			usage_events_90d: 40,
			usage_trend_90d: 0.4, // 40 (12-15) ÷ 100 (09-15)
			tickets_90d: 2, // T1, T2 (T3 is older)
			sla_breaches_90d: 1, // T1: 6 h > 4 h
			complaints_90d: 1, // T1
			csat_90d: 0.5, // T1 rated 5 (good), T2 rated 3
			nps_latest: 8, // N2; N3 is a CSAT survey
			sentiment_mean_90d: -0.125, // (−0.5 + 0.25) ÷ 2
			max_days_late: 40, // I1: 2025-12-10 − 10-31; I2 unpaid: 01-31 − 01-20 = 11
			overdue_invoices: 1, // I2
			days_since_touch: 20, // o1 on 2026-01-11 (matched case-insensitively)
			activities_90d: 2, // A1, A3
			other_owners_12m: 1, // o2 (o3 is older than 12 months)
			products_12m: 3, // A, B, C
			tier: 'A', // 52,000 ≥ 50,000 and 4 of 4 quarters > 80 %
			segment: 'enterprise',
			industry: 'retail',
			region: 'east'
		});
	});

	test('missing sources are NULL, counts are 0', () => {
		expect(featuresOf(before, 'F2')).toEqual({
			days_since_order: 42, // 2025-12-20 → 2026-01-31
			median_gap_days: null, // one purchase day
			recency_ratio: null,
			orders_90d: 1,
			orders_12m: 1,
			order_trend_90d: null,
			revenue_90d: 100,
			revenue_12m: 100,
			revenue_trend_90d: null,
			revenue_trend_180d: null,
			revenue_trend_12m: null,
			tenure_days: 42,
			subscription_active: 0,
			days_to_renewal: null,
			mrr: 0,
			usage_events_90d: null,
			usage_trend_90d: null,
			tickets_90d: 0,
			sla_breaches_90d: 0,
			complaints_90d: 0,
			csat_90d: null,
			nps_latest: null,
			sentiment_mean_90d: null,
			max_days_late: null,
			overdue_invoices: 0,
			days_since_touch: null, // no owner
			activities_90d: 1,
			other_owners_12m: 1,
			products_12m: 0,
			tier: 'C', // 100, 1 of 4 quarters
			segment: null,
			industry: null,
			region: null
		});
	});

	test('a subscription in its grace: active, not running, no order features', () => {
		const f = featuresOf(before, 'F5')!;
		expect(f).toMatchObject({
			days_since_order: null,
			orders_90d: 0,
			revenue_12m: 0,
			tenure_days: 609, // 2024-06-01 → 2026-01-31
			subscription_active: 0,
			days_to_renewal: null,
			mrr: 0,
			tier: 'C',
			segment: 'smb'
		});
	});

	test('local days in the tenant time zone: 23:30 on D counts, 00:30 on D + 1 does not', () => {
		expect(featuresOf(before, 'F3')).toMatchObject({
			days_since_order: 0,
			median_gap_days: 61, // 2025-12-01 → 2026-01-31
			recency_ratio: 0,
			orders_90d: 2,
			revenue_90d: 300, // 100 + 200, not the 400 of 02-01
			tickets_90d: 1, // T4 (T6 is on 02-01)
			sla_breaches_90d: 1, // unanswered at the end of D: 4 h > 1 h
			nps_latest: null // N4 is older than 12 months
		});
	});
});

describe('leakage', () => {
	test('features as of D do not change when data dated after D are added', async () => {
		const db = t.db;
		await loadEntity(db, files, 'accounts', [account2('F7')]);
		await loadEntity(db, files, 'orders', [
			order('L-1', 'F1', '2026-02-01 00:30:00', 700),
			order('L-2', 'F2', '2026-02-10 10:00:00', 800),
			order('L-3', 'F4', '2026-02-11 10:00:00', 900),
			order('L-4', 'F7', '2026-02-12 10:00:00', 900),
			order('L-5', 'F6', '2026-03-01 10:00:00', 100)
		]);
		await loadEntity(db, files, 'order_lines', [line('L-1', 1, 'Z'), line('L-2', 1, 'Y')]);
		await loadEntity(db, files, 'subscriptions', [
			{
				subscription_id: 'L-S',
				account_id: 'F2',
				plan: 'pro',
				start_date: '2026-02-15',
				end_date: '',
				mrr: '300.00',
				currency: 'CNY',
				renewal_status: 'active'
			}
		]);
		await loadEntity(db, files, 'usage_daily', [
			{ account_id: 'F1', day: '2026-02-01', active_users: 9, key_events: 999 },
			{ account_id: 'F2', day: '2026-02-02', active_users: 9, key_events: 5 }
		]);
		await loadEntity(db, files, 'tickets', [
			ticket('L-T1', 'F1', '2026-02-01 00:10:00', 'urgent', {
				ticket_type: 'complaint',
				csat: 1,
				sentiment: '-1'
			}),
			ticket('L-T2', 'F2', '2026-02-05 10:00:00', 'low')
		]);
		await loadEntity(db, files, 'survey_responses', [
			nps('L-N1', 'F1', 0, '2026-02-01 00:05:00'),
			nps('L-N2', 'F2', 3, '2026-02-02 10:00:00')
		]);
		await loadEntity(db, files, 'invoices', [
			{
				invoice_id: 'L-I1',
				account_id: 'F2',
				issued_at: '2026-02-01',
				due_date: '2026-02-10',
				amount: '80.00',
				currency: 'CNY',
				status: 'open'
			}
		]);
		await loadEntity(db, files, 'payments', [
			// I2 (due 01-20, open on D) paid after D: as of D it is still 11 days late.
			{
				payment_id: 'L-P1',
				invoice_id: 'I2',
				account_id: 'F1',
				paid_at: '2026-02-05',
				amount: '500.00'
			}
		]);
		await loadEntity(db, files, 'activities', [
			activity('L-A1', 'F1', 'o1@x.com', '2026-02-01 00:20:00'),
			activity('L-A2', 'F1', 'o9@x.com', '2026-02-02 10:00:00'),
			activity('L-A3', 'F2', 'o1@x.com', '2026-02-03 10:00:00')
		]);
		const after = await computeFeatures(db, { asOf: D });
		expect(after).toEqual(before);
		// The added data are there: a day later they change the features.
		const next = await computeFeatures(db, { asOf: '2026-02-01' });
		expect(featuresOf(next, 'F1')).toMatchObject({
			days_since_order: 0, // L-1 at 00:30 on 02-01
			tickets_90d: 3, // T1, T2, L-T1
			nps_latest: 0 // L-N1
		});
	});
});

describe('training set', () => {
	const dates = ['2025-09-30', '2025-10-31', '2025-11-30'];

	test('rows are the active accounts of each date with the labels of churnLabels, split by date', async () => {
		const set = await buildTrainingSet(t.db, { asOfDates: dates, horizonDays: 60 });
		expect(set.dates).toEqual([
			{ asOf: '2025-09-30', split: 'train' },
			{ asOf: '2025-10-31', split: 'validation' },
			{ asOf: '2025-11-30', split: 'test' }
		]);
		expect(set.split.length).toBe(set.rows.length);
		for (const name of FEATURE_NAMES) expect(set.features[name].length).toBe(set.rows.length);
		for (const asOf of dates) {
			const labels = await churnLabels(t.db, { asOf, horizonDays: 60, currency: 'CNY' });
			const rows = set.rows.filter((r) => r.asOf === asOf);
			expect(rows.map((r) => [r.accountId, r.label])).toEqual(
				labels
					.filter((l) => l.active)
					.sort((a, b) => a.accountId.localeCompare(b.accountId))
					.map((l) => [l.accountId, l.churned ? 1 : 0])
			);
			const expectedSplit =
				asOf === '2025-09-30' ? 'train' : asOf === '2025-10-31' ? 'validation' : 'test';
			set.rows.forEach((r, i) => {
				if (r.asOf === asOf) expect(set.split[i]).toBe(expectedSplit);
			});
		}
		// By hand: F4 (last order 2025-06-01, churn day 11-28) is active on 09-30 and 10-31 and churns
		// within 60 days of both; on 11-30 it is no longer active. F1 and F5 never churn.
		const label = (id: string, asOf: string) =>
			set.rows.find((r) => r.accountId === id && r.asOf === asOf)?.label;
		expect(label('F4', '2025-09-30')).toBe(1);
		expect(label('F4', '2025-10-31')).toBe(1);
		expect(label('F4', '2025-11-30')).toBeUndefined();
		expect(label('F1', '2025-09-30')).toBe(0);
		expect(label('F5', '2025-11-30')).toBe(0);
		// The features of a row are those of computeFeatures on its date.
		const oct = await computeFeatures(t.db, { asOf: '2025-10-31' });
		const i = set.rows.findIndex((r) => r.accountId === 'F1' && r.asOf === '2025-10-31');
		expect(set.features.revenue_90d[i]).toBe(featuresOf(oct, 'F1')!.revenue_90d);
		expect(set.features.revenue_90d[i]).toBe(15_000); // (2025-08-02, 10-31]: only 10-01
	});

	test('a date whose horizon is not inside the data is refused', async () => {
		await expect(
			buildTrainingSet(t.db, { asOfDates: ['2026-01-31'], horizonDays: 90 })
		).rejects.toThrow(/2026-01-31 is not fully labelled.*data end 2026-03-01/);
	});

	test('default dates: the month-ends from the first data day whose horizon is inside the data', async () => {
		// First data day: F5's subscription start 2024-06-01; last: F6's order of 2026-03-01 (leakage
		// test). Horizon 400 days: month-ends up to 2026-03-01 − 400 = 2025-01-25.
		const set = await buildTrainingSet(t.db, { horizonDays: 400 });
		const expected = snapshotDates('2024-06-01', '2026-03-01', 400);
		expect(expected[0]).toBe('2024-06-30');
		expect(expected.at(-1)).toBe('2024-12-31');
		expect(set.dates.map((d) => d.asOf)).toEqual(expected);
		expect(set.dates.at(-1)!.split).toBe('test');
	});
});

describe('export', () => {
	async function exported(asOf: string, horizon: string) {
		const out: Record<string, unknown>[] = [];
		for await (const page of CHURN_FEATURE_DATASETS[0]!.run(t.db, { asOf, options: { horizon } })) {
			out.push(...page);
		}
		return out;
	}

	test('churn-features: features with the label where the horizon is inside the data', async () => {
		// 2025-11-30 + 60 = 2026-01-29 ≤ the data end 2026-03-01: labelled. F4 is no longer active,
		// F2 and F3 not yet (first orders 12-20 and 12-01).
		const labelled = await exported('2025-11-30', '60');
		expect(Object.keys(labelled[0]!)).toEqual([...CHURN_FEATURE_COLUMNS]);
		expect(labelled.map((r) => [r.account_id, r.as_of, r.label])).toEqual([
			['F1', '2025-11-30', 0],
			['F5', '2025-11-30', 0]
		]);
		// D + 90 = 2026-05-01 is past the data end: features of D, labels unknown.
		const open = await exported(D, '90');
		expect(open.map((r) => [r.account_id, r.label])).toEqual([
			['F1', null],
			['F2', null],
			['F3', null],
			['F5', null]
		]);
		expect(open[0]!.revenue_12m).toBe(52_000);
	});
});

function account2(id: string): Row {
	return { account_id: id, name: `Account ${id}`, created_at: '2024-01-01 00:00:00' };
}
