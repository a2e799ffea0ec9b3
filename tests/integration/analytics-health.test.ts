import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HEALTH_COMPONENTS } from '../../analytics/config.ts';
import {
	accountHealthHistory,
	churnLabels,
	HEALTH_DATASETS,
	healthBacktest,
	healthBandTrend,
	healthScores,
	healthStep,
	healthSummary,
	type HealthScoreRow
} from '../../analytics/health/index.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import { openTestDb } from '../factories/db.ts';
import { loadEntity } from '../factories/core.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * The health score on hand-built accounts (TENURE_TZ Asia/Shanghai, default settings: weights
 * recency 0.2, spend 0.2, usage 0.15, support 0.15, sentiment 0.15, payment 0.1, relationship
 * 0.05; bands green ≥ 70, yellow ≥ 40; SLA high 4 h/24 h, normal 24 h/72 h, urgent 1 h/8 h; churn
 * after 180 days without an order, 30 days' grace after a subscription). Segments keep the groups
 * apart: 'hand' (component arithmetic), 'bt' and 'bts' (backtest), 'rand' (random property set).
 * Every expected number is worked out in the comment or expression next to it.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const AS_OF = '2026-01-31';
const EARLIER = '2026-01-15';
const HAND = { segment: ['hand'] };

/** YYYY-MM-DD plus n days (calendar arithmetic for the expected values). */
function addDays(day: string, n: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
function daysBetween(from: string, to: string): number {
	return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

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
const sub = (id: string, account: string, start: string, end: string): Row => ({
	subscription_id: id,
	account_id: account,
	plan: 'pro',
	start_date: start,
	end_date: end,
	mrr: '100.00',
	currency: 'CNY',
	renewal_status: 'active'
});
const ticket = (
	id: string,
	account: string,
	created: string,
	priority: string,
	extra: Partial<Row> = {}
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

/** A seeded generator (mulberry32): the random data set is the same on every run. */
function prng(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let x = Math.imul(a ^ (a >>> 15), 1 | a);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

function randomData(n: number) {
	const rnd = prng(20260131);
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
	const day = (lo: number, hi: number) => addDays(AS_OF, -Math.floor(lo + rnd() * (hi - lo)));
	const out = {
		accounts: [] as Row[],
		orders: [] as Row[],
		tickets: [] as Row[],
		usage: [] as Row[],
		surveys: [] as Row[],
		invoices: [] as Row[],
		payments: [] as Row[],
		activities: [] as Row[]
	};
	for (let i = 0; i < n; i++) {
		const id = `R${i}`;
		const owner = pick(['o1@x.com', 'o2@x.com', '']);
		out.accounts.push({
			account_id: id,
			name: id,
			segment: 'rand',
			owner_email: owner,
			created_at: '2024-01-01 00:00:00'
		});
		const orders = Math.floor(rnd() * 7);
		for (let k = 0; k < orders; k++) {
			out.orders.push(
				order(
					`${id}-o${k}`,
					id,
					`${day(-3, 400)} 12:00:00`,
					Math.round(rnd() * 500) + 1,
					pick(['completed', 'paid', 'cancelled'])
				)
			);
		}
		for (let k = 0; k < Math.floor(rnd() * 4); k++) {
			const created = `${day(0, 120)} 09:00:00`;
			const responded = rnd() < 0.7;
			out.tickets.push(
				ticket(`${id}-t${k}`, id, created, pick(['urgent', 'high', 'normal', 'low']), {
					first_response_at: responded ? created.replace('09:00', pick(['09:30', '15:00'])) : null,
					csat: rnd() < 0.5 ? 1 + Math.floor(rnd() * 5) : null,
					sentiment: rnd() < 0.5 ? (rnd() * 2 - 1).toFixed(2) : null
				})
			);
		}
		if (rnd() < 0.5) {
			for (let k = 0; k < 5; k++) {
				out.usage.push({
					account_id: id,
					day: addDays(AS_OF, -k * 40),
					active_users: 3,
					key_events: Math.floor(rnd() * 50)
				});
			}
		}
		if (rnd() < 0.5) {
			out.surveys.push({
				response_id: `${id}-n`,
				account_id: id,
				survey_type: 'nps',
				score: Math.floor(rnd() * 11),
				responded_at: `${day(0, 500)} 10:00:00`
			});
		}
		if (rnd() < 0.6) {
			const due = day(-30, 300);
			out.invoices.push({
				invoice_id: `${id}-i`,
				account_id: id,
				issued_at: addDays(due, -30),
				due_date: due,
				amount: '100.00',
				currency: 'CNY',
				status: pick(['open', 'paid', 'partially_paid'])
			});
			if (rnd() < 0.6) {
				out.payments.push({
					payment_id: `${id}-p`,
					invoice_id: `${id}-i`,
					account_id: id,
					paid_at: addDays(due, Math.floor(rnd() * 200) - 20),
					amount: pick(['100.00', '40.00'])
				});
			}
		}
		if (rnd() < 0.6) {
			out.activities.push({
				activity_id: `${id}-a`,
				account_id: id,
				owner_email: pick(['o1@x.com', 'o2@x.com']),
				activity_type: 'call',
				occurred_at: `${day(0, 300)} 10:00:00`
			});
		}
	}
	return out;
}

const random = randomData(30);

beforeAll(async () => {
	t = await openTestDb();
	const db = t.db;
	const account = (id: string, segment: string, owner = ''): Row => ({
		account_id: id,
		name: `Account ${id}`,
		segment,
		owner_email: owner,
		created_at: '2024-01-01 00:00:00'
	});
	await loadEntity(db, files, 'owners', [
		{ owner_email: 'o1@x.com', name: 'Owner One', team: 'east' },
		{ owner_email: 'o2@x.com', name: 'Owner Two', team: 'west' }
	]);
	await loadEntity(db, files, 'accounts', [
		account('H1', 'hand', 'o1@x.com'),
		account('H2', 'hand'),
		account('H3', 'hand'),
		account('H4', 'hand'),
		account('H5', 'hand'),
		account('H6', 'hand', 'o2@x.com'),
		account('H7', 'hand', 'o1@x.com'),
		...['B1', 'B2', 'B3', 'B4', 'B8', 'B9'].map((id) => account(id, 'bt')),
		...['BS1', 'BS2', 'BS3', 'BS4'].map((id) => account(id, 'bts')),
		...random.accounts
	]);
	await loadEntity(db, files, 'orders', [
		// H1: purchase days 10-01, 12-12, 12-22 (two orders), 01-01; the cancelled one does not count.
		order('H1-1', 'H1', '2025-10-01 10:00:00', 300),
		order('H1-2', 'H1', '2025-12-12 10:00:00', 100),
		order('H1-3', 'H1', '2025-12-22 09:00:00', 50),
		order('H1-4', 'H1', '2025-12-22 15:00:00', 50),
		order('H1-5', 'H1', '2026-01-01 10:00:00', 50),
		order('H1-6', 'H1', '2026-01-20 10:00:00', 999, 'cancelled'),
		// H2: every 20 days, the last 31 days before the as-of date.
		order('H2-1', 'H2', '2025-11-21 10:00:00', 100),
		order('H2-2', 'H2', '2025-12-11 10:00:00', 100),
		order('H2-3', 'H2', '2025-12-31 10:00:00', 100),
		// H3: 23:30 on 01-31 in Shanghai (15:30 UTC) is on 01-31; 00:30 on 02-01 (16:30 UTC on 01-31) is not.
		order('H3-1', 'H3', '2025-12-01 10:00:00', 100),
		order('H3-2', 'H3', '2026-01-31 23:30:00', 200),
		order('H3-3', 'H3', '2026-02-01 00:30:00', 400),
		order('H3-4', 'H3', '2026-01-15 10:00:00', 50, 'cancelled'),
		// H4 churned (last order + 180 days = 2025-11-28, before both refreshes); H5 never ordered.
		order('H4-1', 'H4', '2025-05-01 10:00:00', 100),
		order('H4-2', 'H4', '2025-06-01 10:00:00', 100),
		// Backtest accounts (as of 2025-06-30, see the backtest tests).
		order('B1-1', 'B1', '2025-01-05 10:00:00', 100),
		order('B1-2', 'B1', '2025-01-15 10:00:00', 100),
		order('B2-1', 'B2', '2025-01-31 10:00:00', 100),
		order('B2-2', 'B2', '2025-04-01 10:00:00', 100),
		order('B2-3', 'B2', '2025-10-15 10:00:00', 100),
		order('B3-1', 'B3', '2025-05-01 10:00:00', 100),
		order('B3-2', 'B3', '2025-06-01 10:00:00', 100),
		order('B3-3', 'B3', '2025-08-01 10:00:00', 100),
		order('B4-1', 'B4', '2025-03-01 10:00:00', 100),
		order('B4-2', 'B4', '2025-06-20 10:00:00', 50),
		order('B8-1', 'B8', '2025-03-13 10:00:00', 100),
		order('B8-2', 'B8', '2025-03-23 10:00:00', 100),
		order('B8-3', 'B8', '2025-04-02 10:00:00', 100),
		order('B9-1', 'B9', '2025-01-20 10:00:00', 100),
		order('B9-2', 'B9', '2025-01-30 10:00:00', 100),
		order('B9-3', 'B9', '2025-07-20 10:00:00', 100),
		...random.orders
	]);
	await loadEntity(db, files, 'subscriptions', [
		sub('H6-S', 'H6', '2025-01-01', ''),
		sub('H7-S', 'H7', '2025-01-01', ''),
		sub('BS1-S', 'BS1', '2024-01-01', '2025-07-15'),
		sub('BS2-S', 'BS2', '2024-01-01', '2025-07-15'),
		sub('BS2-T', 'BS2', '2025-08-10', ''),
		sub('BS3-S', 'BS3', '2024-01-01', '2025-05-15'),
		sub('BS4-S', 'BS4', '2024-01-01', '2025-07-01'),
		sub('BS4-T', 'BS4', '2025-09-01', '2025-12-31')
	]);
	await loadEntity(db, files, 'usage_daily', [
		{ account_id: 'H1', day: '2025-09-15', active_users: 5, key_events: 100 },
		{ account_id: 'H1', day: '2025-12-15', active_users: 5, key_events: 40 },
		{ account_id: 'H6', day: '2025-12-01', active_users: 1, key_events: 0 },
		...random.usage
	]);
	await loadEntity(db, files, 'tickets', [
		// H1: first response after 6 h > the high target of 4 h (a breach), resolved in 23 h < 24 h.
		ticket('T1', 'H1', '2026-01-10 10:00:00', 'high', {
			first_response_at: '2026-01-10 16:00:00',
			resolved_at: '2026-01-11 09:00:00',
			status: 'resolved',
			csat: 5,
			sentiment: '-0.5'
		}),
		// H1: within the normal targets (1 h < 24 h, 24 h ≤ 72 h).
		ticket('T2', 'H1', '2026-01-20 10:00:00', 'normal', {
			first_response_at: '2026-01-20 11:00:00',
			resolved_at: '2026-01-21 10:00:00',
			status: 'resolved',
			csat: 3,
			sentiment: '0.2'
		}),
		// H1: before the 90 days (it would breach and be rated badly): not counted.
		ticket('T3', 'H1', '2025-10-01 10:00:00', 'urgent', { csat: 1, sentiment: '-1' }),
		// H3: unanswered at the end of 01-31: 4 h > the urgent target of 1 h (breach); 0.5 h < 4 h.
		ticket('T4', 'H3', '2026-01-31 20:00:00', 'urgent'),
		ticket('T5', 'H3', '2026-01-31 23:30:00', 'high'),
		// H3: created on 02-01 local time, after the as-of date.
		ticket('T6', 'H3', '2026-02-01 00:30:00', 'urgent'),
		...random.tickets
	]);
	await loadEntity(db, files, 'survey_responses', [
		{
			response_id: 'N1',
			account_id: 'H1',
			survey_type: 'nps',
			score: 6,
			responded_at: '2025-06-01 10:00:00'
		},
		{
			response_id: 'N2',
			account_id: 'H1',
			survey_type: 'nps',
			score: 8,
			responded_at: '2025-11-01 10:00:00'
		},
		{
			response_id: 'N4',
			account_id: 'H1',
			survey_type: 'csat',
			score: 1,
			responded_at: '2026-01-05 10:00:00'
		},
		...random.surveys
	]);
	await loadEntity(db, files, 'invoices', [
		{
			invoice_id: 'I1',
			account_id: 'H1',
			issued_at: '2025-11-01',
			due_date: '2025-12-01',
			amount: '100.00',
			currency: 'CNY',
			status: 'paid'
		},
		{
			invoice_id: 'I2',
			account_id: 'H1',
			issued_at: '2025-12-12',
			due_date: '2026-01-11',
			amount: '200.00',
			currency: 'CNY',
			status: 'partially_paid'
		},
		{
			invoice_id: 'I3',
			account_id: 'H1',
			issued_at: '2025-01-01',
			due_date: '2025-01-31',
			amount: '100.00',
			currency: 'CNY',
			status: 'paid'
		},
		{
			invoice_id: 'I4',
			account_id: 'H1',
			issued_at: '2025-05-01',
			due_date: '2025-06-01',
			amount: '500.00',
			currency: 'CNY',
			status: 'void'
		},
		...random.invoices
	]);
	await loadEntity(db, files, 'payments', [
		{
			payment_id: 'P1',
			invoice_id: 'I1',
			account_id: 'H1',
			paid_at: '2025-12-11',
			amount: '100.00'
		},
		{
			payment_id: 'P2',
			invoice_id: 'I2',
			account_id: 'H1',
			paid_at: '2026-01-05',
			amount: '50.00'
		},
		{
			payment_id: 'P3',
			invoice_id: 'I3',
			account_id: 'H1',
			paid_at: '2025-03-01',
			amount: '100.00'
		},
		...random.payments
	]);
	await loadEntity(db, files, 'activities', [
		{
			activity_id: 'AC1',
			account_id: 'H1',
			owner_email: 'o1@x.com',
			activity_type: 'call',
			occurred_at: '2025-12-02 10:00:00'
		},
		{
			activity_id: 'AC2',
			account_id: 'H1',
			owner_email: 'other@x.com',
			activity_type: 'email',
			occurred_at: '2026-01-30 10:00:00'
		},
		{
			activity_id: 'AC3',
			account_id: 'H6',
			owner_email: 'other@x.com',
			activity_type: 'email',
			occurred_at: '2026-01-20 10:00:00'
		},
		...random.activities
	]);
	await refreshAnalytics(db, { asOf: EARLIER, steps: [healthStep] });
	await refreshAnalytics(db, { asOf: AS_OF, steps: [healthStep] });
}, 240_000);
afterAll(async () => {
	await t?.cleanup();
	files.cleanup();
});

async function handRows(asOf = AS_OF): Promise<Map<string, HealthScoreRow>> {
	const page = await healthScores(t.db, { asOf, filters: HAND, sort: 'name' });
	return new Map(page.rows.map((r) => [r.accountId, r]));
}

describe('health components (sql/queries/health-score.sql)', () => {
	test('only active accounts get a row: churned (H4) and potential (H5) do not', async () => {
		const rows = await handRows();
		expect([...rows.keys()].sort()).toEqual(['H1', 'H2', 'H3', 'H6', 'H7']);
	});

	test('every component of an account with all of them, worked out by hand (H1)', async () => {
		const h1 = (await handRows()).get('H1')!;
		// Purchase days 10-01, 12-12, 12-22, 01-01: gaps 72, 10, 10 → median 10; the last is 30 days
		// before 01-31, 3 × the usual gap → recency 0.
		expect(h1.inputs.orderDays).toBe(4);
		expect(h1.inputs.medianGapDays).toBe(10);
		expect(h1.inputs.daysSinceOrder).toBe(daysBetween('2026-01-01', AS_OF));
		expect(h1.components.recency).toBeCloseTo(0, 9);
		// Last 90 days (from 2025-11-02): 100 + 50 + 50 + 50 = 250; the 90 before: 300.
		expect(h1.inputs.spend90d).toBe('250.00');
		expect(h1.inputs.spendPrev90d).toBe('300.00');
		expect(h1.components.spend).toBeCloseTo((100 * 250) / 300, 9);
		// Key events 40 (12-15) vs 100 (09-15).
		expect(h1.components.usage).toBeCloseTo((100 * 40) / 100, 9);
		// Two tickets in 90 days, one SLA breach: 100 − 2 × 2.5 − 1 × 10.
		expect(h1.inputs.tickets90d).toBe(2);
		expect(h1.inputs.slaBreaches90d).toBe(1);
		expect(h1.components.support).toBeCloseTo(100 - 2 * 2.5 - 10, 9);
		// Latest NPS 8 → 80; CSAT 1 of 2 ratings 4–5 → 50; 1 of 2 sentiments negative → 50.
		expect(h1.inputs.npsLatest).toBe(8);
		expect(h1.components.sentiment).toBeCloseTo((80 + 50 + 50) / 3, 9);
		// I1 paid 10 days late; I2 unsettled (50 of 200), 20 days past due; I3 was due 365 days
		// before (not counted, else 29 days late); the void I4 is ignored. Worst 20 days.
		expect(h1.inputs.invoicesConsidered).toBe(2);
		expect(h1.inputs.overdueInvoices).toBe(1);
		expect(h1.inputs.maxDaysLate).toBe(daysBetween('2026-01-11', AS_OF));
		expect(h1.components.payment).toBeCloseTo(100 * (1 - 20 / 90), 9);
		// The owner's last touch 2025-12-02 (the 01-30 e-mail was someone else's): 60 days.
		expect(h1.inputs.daysSinceTouch).toBe(daysBetween('2025-12-02', AS_OF));
		expect(h1.components.relationship).toBeCloseTo((100 * (180 - 60)) / 150, 9);
		const expected =
			0.2 * 0 +
			0.2 * ((100 * 250) / 300) +
			0.15 * 40 +
			0.15 * 85 +
			0.15 * 60 +
			0.1 * (100 * (1 - 20 / 90)) +
			0.05 * 80;
		expect(h1.score).toBeCloseTo(expected, 9); // 56.19…
		expect(h1.band).toBe('yellow');
		expect(h1.missing).toEqual([]);
		expect(h1.weights.recency).toBeCloseTo(0.2, 12);
	});

	test('components without data are left out and the weights renormalised (H2)', async () => {
		const h2 = (await handRows()).get('H2')!;
		// Gaps 20, 20; the last order 31 days ago: r = 31 / 20 = 1.55 → 100 × (3 − 1.55) / 2.
		const recency = (100 * (3 - 31 / 20)) / 2;
		expect(h2.components.recency).toBeCloseTo(recency, 9); // 72.5
		// All 300 in the last 90 days, none before → 100.
		expect(h2.components.spend).toBe(100);
		expect(h2.missing).toEqual(['usage', 'support', 'sentiment', 'payment', 'relationship']);
		expect(h2.weights).toEqual({ recency: 0.5, spend: 0.5 });
		expect(h2.score).toBeCloseTo((0.2 * recency + 0.2 * 100) / (0.2 + 0.2), 9); // 86.25
		expect(h2.band).toBe('green');
	});

	test('local days in Asia/Shanghai: an order at 23:30 on 01-31 is on 01-31 (H3)', async () => {
		const h3 = (await handRows()).get('H3')!;
		expect(h3.inputs.lastOrder).toBe('2026-01-31');
		expect(h3.inputs.daysSinceOrder).toBe(0);
		// 100 (12-01) + 200 (01-31 23:30); the 02-01 00:30 order is after the as-of day.
		expect(h3.inputs.spend90d).toBe('300.00');
		// T4 unanswered 4 h after 20:00 (urgent, 1 h): a breach; T5 0.5 h old (high, 4 h): none yet;
		// T6 was created on 02-01 local time.
		expect(h3.inputs.tickets90d).toBe(2);
		expect(h3.inputs.slaBreaches90d).toBe(1);
		expect(h3.score).toBeCloseTo((0.2 * 100 + 0.2 * 100 + 0.15 * 85) / 0.55, 9);
		expect(h3.weights.support).toBeCloseTo(0.15 / 0.55, 12);
	});

	test('usage with no events and an owner who never touched the account score 0 (H6); no data at all is band none (H7)', async () => {
		const rows = await handRows();
		const h6 = rows.get('H6')!;
		expect(h6.components.usage).toBe(0);
		expect(h6.components.relationship).toBe(0);
		expect(h6.score).toBe(0);
		expect(h6.band).toBe('red');
		const h7 = rows.get('H7')!;
		expect(h7.score).toBeNull();
		expect(h7.band).toBe('none');
		expect(h7.missing).toEqual([...HEALTH_COMPONENTS]);
		expect(h7.weights).toEqual({});
	});

	test('the earlier refresh scored the same accounts with the data through its own date', async () => {
		const rows = await handRows(EARLIER);
		// H3 by 01-15: one purchase day (12-01) → no typical gap, recency left out; no tickets yet.
		expect(rows.get('H3')!.missing).toContain('recency');
		expect(rows.get('H3')!.score).toBe(100);
		// H1 on 01-15: recency r = 14/10 → 80; spend 250/300; usage 40/100; one ticket with a breach
		// → 87.5; sentiment (80 + 100 + 0) / 3 = 60; payment: I3 (due 2025-01-31, paid 29 days late)
		// is within 365 days now → 100 × (1 − 29/90); touch 44 days ago → 100 × (180 − 44) / 150.
		const h1 = rows.get('H1')!;
		expect(h1.components.recency).toBeCloseTo(80, 9);
		expect(h1.components.support).toBeCloseTo(87.5, 9);
		expect(h1.components.sentiment).toBeCloseTo(60, 9);
		expect(h1.inputs.maxDaysLate).toBe(daysBetween('2025-01-31', '2025-03-01'));
		const expected =
			0.2 * 80 +
			0.2 * ((100 * 250) / 300) +
			0.15 * 40 +
			0.15 * 87.5 +
			0.15 * 60 +
			0.1 * (100 * (1 - 29 / 90)) +
			0.05 * ((100 * (180 - 44)) / 150);
		expect(h1.score).toBeCloseTo(expected, 9); // 72.1…
		expect(h1.band).toBe('green');
	});

	test('property: over the seeded random accounts every score is in 0–100 and the weights sum to 1', async () => {
		const page = await healthScores(t.db, { filters: { segment: ['rand'] }, limit: 1000 });
		expect(page.rows.length).toBeGreaterThan(5);
		for (const r of page.rows) {
			for (const c of HEALTH_COMPONENTS) {
				const s = r.components[c];
				expect(r.missing.includes(c)).toBe(s === null);
				if (s !== null) {
					expect(s).toBeGreaterThanOrEqual(0);
					expect(s).toBeLessThanOrEqual(100);
				}
			}
			if (r.score === null) {
				expect(r.band).toBe('none');
				continue;
			}
			expect(r.score).toBeGreaterThanOrEqual(0);
			expect(r.score).toBeLessThanOrEqual(100);
			const ws = Object.values(r.weights);
			expect(ws.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
			const mean = HEALTH_COMPONENTS.reduce(
				(s, c) => s + (r.weights[c] ?? 0) * (r.components[c] ?? 0),
				0
			);
			expect(r.score).toBeCloseTo(mean, 9);
			expect(r.band).toBe(r.score >= 70 ? 'green' : r.score >= 40 ? 'yellow' : 'red');
		}
	});
});

describe('health reads', () => {
	test('summary: accounts and 12-month revenue per band', async () => {
		const s = await healthSummary(t.db, { filters: HAND });
		// green H2 (300) + H3 (100 + 200); yellow H1 (300 + 100 + 50 + 50 + 50); red H6; none H7.
		expect(s.bands).toEqual([
			{ band: 'green', accounts: 2, revenue12m: '600.00' },
			{ band: 'yellow', accounts: 1, revenue12m: '550.00' },
			{ band: 'red', accounts: 1, revenue12m: '0.00' },
			{ band: 'none', accounts: 1, revenue12m: '0.00' }
		]);
		expect(s.accounts).toBe(5);
	});

	test('list: scope, band filter, sort and paging', async () => {
		const mine = await healthScores(t.db, { scope: { owners: ['o1@x.com'] }, filters: HAND });
		expect(mine.rows.map((r) => r.accountId).sort()).toEqual(['H1', 'H7']);
		const green = await healthScores(t.db, { filters: HAND, band: ['green'], sort: 'score' });
		// Worst first: H2 86.25 before H3 95.9.
		expect(green.rows.map((r) => r.accountId)).toEqual(['H2', 'H3']);
		const page = await healthScores(t.db, { filters: HAND, sort: 'score', limit: 2, offset: 1 });
		// score order: H6 0, H1 56.2, H2 86.25, H3 95.9, H7 none last.
		expect(page.total).toBe(5);
		expect(page.rows.map((r) => r.accountId)).toEqual(['H1', 'H2']);
		expect(page.rows[0]!.name).toBe('Account H1');
		expect(page.rows[0]!.ownerEmail).toBe('o1@x.com');
		expect(page.rows[0]!.team).toBe('east');
	});

	test('history of one account per stored date, and nothing outside the caller’s scope', async () => {
		const h = await accountHealthHistory(t.db, { accountId: 'H2', scope: 'all' });
		// 01-15: last order 15 days ago (< the 20-day gap) → 100, spend 100 → 100; 01-31: 86.25.
		expect(h.map((p) => [p.asOf, p.band])).toEqual([
			[EARLIER, 'green'],
			[AS_OF, 'green']
		]);
		expect(h[0]!.score).toBe(100);
		expect(h[1]!.score).toBeCloseTo(86.25, 9);
		expect(
			await accountHealthHistory(t.db, { accountId: 'H2', scope: { owners: ['o1@x.com'] } })
		).toEqual([]);
		const ranged = await accountHealthHistory(t.db, { accountId: 'H2', scope: 'all', from: AS_OF });
		expect(ranged.map((p) => p.asOf)).toEqual([AS_OF]);
	});

	test('band trend per stored date', async () => {
		const trend = await healthBandTrend(t.db, { filters: HAND });
		// 01-15: H1 (72.1), H2, H3 green; H6 red (usage 0 only: the 01-20 activity came later); H7 none.
		expect(trend).toEqual([
			{ asOf: EARLIER, green: 3, yellow: 0, red: 1, none: 1 },
			{ asOf: AS_OF, green: 2, yellow: 1, red: 1, none: 1 }
		]);
	});

	test('the health dataset exports the per-account rows', async () => {
		const ds = HEALTH_DATASETS.find((d) => d.name === 'health')!;
		const pages = [];
		for await (const page of ds.run(t.db, { filters: HAND })) pages.push(...page);
		expect(pages.map((r) => r.account_id)).toEqual(['H1', 'H2', 'H3', 'H6', 'H7']);
		expect(Object.keys(pages[0]!)).toEqual([...ds.columns]);
		expect(pages[1]!.missing).toBe('usage,support,sentiment,payment,relationship');
	});
});

describe('health backtest', () => {
	const D = '2025-06-30';

	test('churn labels respect the horizon, on orders and on subscriptions', async () => {
		const labels = async (horizonDays: number) =>
			new Map(
				(await churnLabels(t.db, { asOf: D, horizonDays, currency: 'CNY' })).map((l) => [
					l.accountId,
					l
				])
			);
		const l90 = await labels(90);
		const horizonEnd = addDays(D, 90); // 2025-09-28
		// Orders: churn day = the last order before a gap of more than 180 days (or none) + 180.
		expect(l90.get('B1')).toMatchObject({
			active: true,
			churnDay: addDays('2025-01-15', 180),
			churned: true
		});
		// B2 came back on 10-15, but 04-01 → 10-15 is 197 days: churned on 04-01 + 180 = the horizon's last day.
		expect(addDays('2025-04-01', 180)).toBe(horizonEnd);
		expect(l90.get('B2')).toMatchObject({ active: true, churnDay: horizonEnd, churned: true });
		expect(l90.get('B3')).toMatchObject({ churnDay: addDays('2025-08-01', 180), churned: false });
		expect(l90.get('B4')).toMatchObject({ churnDay: addDays('2025-06-20', 180), churned: false });
		// B8: one day after the horizon.
		expect(l90.get('B8')).toMatchObject({ churnDay: addDays(horizonEnd, 1), churned: false });
		// B9: 01-30 → 07-20 is 171 days, so it never churned: 07-20 + 180.
		expect(l90.get('B9')).toMatchObject({ churnDay: addDays('2025-07-20', 180), churned: false });
		// Subscriptions (30 days' grace): BS1 ends 07-15 → churn day 08-14.
		expect(l90.get('BS1')).toMatchObject({ active: true, churnDay: '2025-08-14', churned: true });
		// BS2 renewed on 08-10, before its grace ran out (08-14): open-ended, never churns.
		expect(l90.get('BS2')).toMatchObject({ active: true, churnDay: null, churned: false });
		// BS3's grace ended 06-14, before D: not active on D.
		expect(l90.get('BS3')).toMatchObject({ active: false, churned: false });
		// BS4: grace to 07-31, the next subscription starts 09-01: churned on 07-31.
		expect(l90.get('BS4')).toMatchObject({ active: true, churnDay: '2025-07-31', churned: true });
		// H5 never ordered: no label row.
		expect(l90.has('H5')).toBe(false);
		const l89 = await labels(89);
		expect(l89.get('B2')!.churned).toBe(false);
		const l91 = await labels(91);
		expect(l91.get('B8')!.churned).toBe(true);
	});

	test('AUC, precision, recall and lift on a constructed history', async () => {
		const r = await healthBacktest(t.db, { asOfDates: [D], filters: { segment: ['bt'] } });
		const d = r.dates[0]!;
		// Scores as of 06-30 (recency and spend only, weights 0.5 each):
		//   B1 0 (166 days vs a 10-day gap; nothing in the last 90 days) — churns
		//   B2 (75 + 0) / 2 = 37.5 (90 days vs a 60-day gap: r = 1.5) — churns
		//   B3 100, B4 (100 + 50) / 2 = 75, B8 (0 + 50) / 2 = 25, B9 0 — stay
		// Risk 100 − score: churners 100, 62.5; stayers 0, 25, 75, 100.
		// B1 beats 0, 25, 75 and ties 100: 3.5; B2 beats 0, 25: 2 → AUC = 5.5 / (2 × 4).
		expect(d.n).toBe(6);
		expect(d.churned).toBe(2);
		expect(d.auc).toBeCloseTo(5.5 / 8, 12);
		const band = (b: string) => d.bands.find((x) => x.band === b)!;
		expect(band('green')).toMatchObject({
			accounts: 2,
			churned: 0,
			precision: 0,
			recall: 0,
			lift: 0
		});
		expect(band('yellow')).toMatchObject({ accounts: 0, churned: 0, precision: null, recall: 0 });
		// Red: B1, B2, B8, B9 → 2 of 4 churned; recall 2/2; lift (2/4) / (2/6).
		expect(band('red').accounts).toBe(4);
		expect(band('red').precision).toBeCloseTo(0.5, 12);
		expect(band('red').recall).toBeCloseTo(1, 12);
		expect(band('red').lift).toBeCloseTo(0.5 / (2 / 6), 12);
		// One day shorter: B2's churn (on the 90th day) falls outside; B1 risk 100 vs stayers
		// 62.5, 0, 25, 75 (4 wins) and 100 (a tie): (4 + 0.5) / 5.
		const shorter = (
			await healthBacktest(t.db, { asOfDates: [D], horizonDays: 89, filters: { segment: ['bt'] } })
		).dates[0]!;
		expect(shorter.churned).toBe(1);
		expect(shorter.auc).toBeCloseTo(4.5 / 5, 12);
	});

	test('the health-backtest dataset has a row per band and an "all" row with the AUC', async () => {
		const ds = HEALTH_DATASETS.find((x) => x.name === 'health-backtest')!;
		const rows = [];
		for await (const page of ds.run(t.db, { asOf: D, filters: { segment: ['bt'] } })) {
			rows.push(...page);
		}
		expect(rows.map((r) => r.band)).toEqual(['green', 'yellow', 'red', 'none', 'all']);
		expect(rows[4]).toMatchObject({ as_of: D, horizon_days: 90, accounts: 6, churned: 2 });
		expect(rows[4]!.auc).toBeCloseTo(5.5 / 8, 12);
	});
});
