import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	accountAlerts,
	alerts,
	alertsStep,
	alertSummary,
	type AlertRow
} from '../../analytics/alerts/index.ts';
import type { RefreshStep } from '../../analytics/refresh/context.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import { insertRows } from '../../sql/query.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { loadEntity } from '../factories/core.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * Early-warning alerts over hand-built accounts (TENURE_TZ Asia/Shanghai, default settings: usage
 * drop 30 %, SLA first response urgent 1 h / high 4 h / normal 24 h, overdue after 1.5 × the
 * median gap, health green ≥ 70, yellow ≥ 40). Refreshes as of D1 = 2025-06-30, D2 = 2025-07-15
 * and D3 = 2025-07-31; each account is named after the signal it exercises. Expected values are
 * worked out in the comments.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const D1 = '2025-06-30';
const D2 = '2025-07-15';
const D3 = '2025-07-31';

const ACCOUNTS = [
	'U1',
	'U2',
	'U3',
	'S1',
	'S2',
	'S3',
	'R1',
	'R2',
	'R3',
	'R4',
	'N1',
	'N2',
	'P1',
	'P2',
	'P3',
	'P4',
	'PX',
	'H1',
	'H2',
	'H3',
	'H4',
	'H5'
];

/** A stand-in for the health step: writes the given bands for the refresh being run. */
function health(bands: Record<string, [score: number, band: string]>): RefreshStep {
	return {
		name: 'health-fixture',
		tables: [],
		run: (ctx) =>
			insertRows(
				ctx.db,
				'health_scores',
				Object.entries(bands).map(([account_id, [score, band]]) => ({
					refresh_id: ctx.refreshId,
					as_of: ctx.asOf,
					account_id,
					score,
					band
				})),
				'test:health'
			)
	};
}

const HEALTH_D1 = health({
	H1: [80, 'green'],
	H2: [55, 'yellow'],
	H3: [75, 'green'],
	H4: [90, 'green'],
	H5: [50, 'yellow']
});
const HEALTH_D2 = health({
	H1: [60, 'yellow'],
	H2: [30, 'red'],
	H3: [20, 'red'],
	H4: [85, 'green'],
	H5: [45, 'yellow']
});
const HEALTH_D3 = health({
	H1: [62, 'yellow'],
	H2: [45, 'yellow'],
	H3: [50, 'yellow'],
	H4: [88, 'green'],
	H5: [35, 'red']
});

const refresh = (asOf: string, healthStep: RefreshStep) =>
	refreshAnalytics(t.db, { asOf, steps: [healthStep, alertsStep] });

/** Every alert's latest version, by account and signal. */
async function stored(): Promise<Record<string, unknown>[]> {
	return rows(
		t.db,
		`SELECT alert_id, account_id, signal, severity, status, toString(opened_as_of) AS opened,
		        toString(last_seen_as_of) AS seen, toString(resolved_as_of) AS resolved, value, baseline,
		        threshold, detail
		 FROM alerts FINAL ORDER BY account_id, signal, opened_as_of`
	);
}

const key = (r: AlertRow) => `${r.accountId}:${r.signal}`;
let d1: AlertRow[];

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(
		t.db,
		files,
		'accounts',
		ACCOUNTS.map((id) => ({
			account_id: id,
			name: `Account ${id}`,
			owner_email: id === 'P2' ? 'csm2@example.cn' : 'csm1@example.cn',
			created_at: '2024-01-01 00:00:00'
		}))
	);
	const order = (
		id: string,
		account: string,
		day: string,
		status = 'completed',
		amount = '100.00'
	) => ({
		order_id: id,
		account_id: account,
		ordered_at: `${day} 10:00:00`,
		status,
		currency: 'CNY',
		net_amount: amount
	});
	await loadEntity(t.db, files, 'orders', [
		// R1: purchase days 03-01, 03-11, 03-21: gaps 10 and 10, median 10; as of D1 101 days since
		// (10 left in March + 30 + 31 + 30) > 1.5 × 10 = 15. Orders again on 07-10 (before D2).
		order('R1-1', 'R1', '2025-03-01'),
		order('R1-2', 'R1', '2025-03-11'),
		order('R1-3', 'R1', '2025-03-21'),
		order('R1-4', 'R1', '2025-07-10'),
		// R2: 05-26, 06-05, 06-15: median 10; as of D1 exactly 15 days since, not more than 15; the
		// cancelled order of 06-29 does not count. As of D2, 30 days > 15.
		order('R2-1', 'R2', '2025-05-26'),
		order('R2-2', 'R2', '2025-06-05'),
		order('R2-3', 'R2', '2025-06-15'),
		order('R2-4', 'R2', '2025-06-29', 'cancelled'),
		// R3: one gap only (two purchase days): no typical interval, however long ago.
		order('R3-1', 'R3', '2025-01-01'),
		order('R3-2', 'R3', '2025-01-11'),
		// R4: 01-01, 01-03, 01-13, 01-17, 01-27: gaps 2, 10, 4, 10, sorted [2, 4, 10, 10], median
		// (4 + 10) / 2 = 7, limit 10.5; as of D1 154 days since (4 + 28 + 31 + 30 + 31 + 30).
		...['01-01', '01-03', '01-13', '01-17', '01-27'].map((d, i) =>
			order(`R4-${i}`, 'R4', `2025-${d}`)
		),
		// P2: tier A (20,000 in each of the last four quarters: 80,000 ≥ 50,000 and 4/4 > 80 %).
		...['2024-08-01', '2024-11-01', '2025-02-01', '2025-05-01'].map((d, i) =>
			order(`P2-${i}`, 'P2', d, 'completed', '20000.00')
		)
	]);
	await loadEntity(t.db, files, 'usage_daily', [
		// As of D1 the usage windows end on 06-30 (U2's last row): now = days after 06-02, before =
		// 05-06 … 06-02. U1 100 → 60 = −40 % (fires at 30 %), U2 100 → 75 = −25 % (does not), U3
		// 100 → 30 = −70 % (≥ 2 × 30 %: critical).
		{ account_id: 'U1', day: '2025-05-25', active_users: 5, key_events: 100 },
		{ account_id: 'U1', day: '2025-06-20', active_users: 5, key_events: 60 },
		{ account_id: 'U2', day: '2025-05-25', active_users: 5, key_events: 100 },
		{ account_id: 'U2', day: '2025-06-30', active_users: 5, key_events: 75 },
		{ account_id: 'U3', day: '2025-05-25', active_users: 5, key_events: 100 },
		{ account_id: 'U3', day: '2025-06-20', active_users: 5, key_events: 30 },
		// As of D2 the windows end on 07-15: now = 06-18 … 07-15, before = 05-21 … 06-17. U1 60 +
		// 100 = 160 against 100 (recovered), U2 75 + 80 against 100, U3 still 30 against 100.
		{ account_id: 'U1', day: '2025-07-10', active_users: 5, key_events: 100 },
		{ account_id: 'U2', day: '2025-07-15', active_users: 5, key_events: 80 }
	]);
	const ticket = (
		id: string,
		account: string,
		created: string,
		priority: string,
		response: string | null,
		sentiment: number | null = null
	) => ({
		ticket_id: id,
		account_id: account,
		created_at: created,
		first_response_at: response,
		priority,
		ticket_type: 'question',
		status: 'open',
		sentiment
	});
	await loadEntity(t.db, files, 'tickets', [
		// S1: high (4 h) answered after 6 h, and normal (24 h) after 30 h: two breaches, the worst
		// 6 / 4 = 1.5 × its target against 30 / 24 = 1.25.
		ticket('T-S1', 'S1', '2025-06-10 10:00:00', 'high', '2025-06-10 16:00:00'),
		ticket('T-S1b', 'S1', '2025-06-12 10:00:00', 'normal', '2025-06-13 16:00:00'),
		// S2: answered within 3 h of a 4 h target.
		ticket('T-S2', 'S2', '2025-06-20 10:00:00', 'high', '2025-06-20 13:00:00'),
		// S3: urgent (1 h) at 20:00 on D1, answered 07-01 09:00: as of D1 unanswered for 4 h (to
		// local midnight), as of D2 answered after 13 h.
		ticket('T-S3', 'S3', '2025-06-30 20:00:00', 'urgent', '2025-07-01 09:00:00'),
		// N1: negative tickets on 05-15 (the 30 days before 06-01) and at 00:30 on 06-01 local (05-31
		// in UTC: counted in the last 30 days only when days are local); a positive one.
		ticket('T-N1a', 'N1', '2025-05-15 10:00:00', 'low', '2025-05-15 11:00:00', -0.2),
		ticket('T-N1b', 'N1', '2025-06-01 00:30:00', 'low', '2025-06-01 01:00:00', -0.5),
		ticket('T-N1c', 'N1', '2025-06-10 10:00:00', 'low', '2025-06-10 11:00:00', 0.3),
		// N2: one negative ticket in each period: not rising.
		ticket('T-N2a', 'N2', '2025-05-10 10:00:00', 'low', '2025-05-10 11:00:00', -0.4),
		ticket('T-N2b', 'N2', '2025-06-10 10:00:00', 'low', '2025-06-10 11:00:00', -0.4)
	]);
	const nps = (id: string, account: string, score: number, at: string, comment = '') => ({
		response_id: id,
		account_id: account,
		contact_id: `C-${account}`,
		survey_type: 'nps',
		score,
		comment,
		responded_at: at
	});
	await loadEntity(t.db, files, 'survey_responses', [
		// N1: a detractor comment on 06-15: with the 06-01 ticket 2 negative items in the last 30
		// days against 1 before.
		nps('NPS-N1', 'N1', 5, '2025-06-15 10:00:00', '响应太慢'),
		nps('NPS-P1', 'P1', 3, '2025-06-25 10:00:00'),
		// P2: 6 is still a detractor; tier A: critical.
		nps('NPS-P2', 'P2', 6, '2025-06-28 10:00:00'),
		nps('NPS-PX', 'PX', 7, '2025-06-25 10:00:00'),
		nps('NPS-P3', 'P3', 2, '2025-07-10 10:00:00')
	]);
	await refresh(D1, HEALTH_D1);
	d1 = (await alerts(t.db, { asOf: D1 })).rows;
});
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

describe('signals as of D1 (no earlier refresh)', () => {
	test('each signal fires on its account and not on the controls', () => {
		expect(d1.map(key).sort()).toEqual(
			[
				'N1:new_detractor',
				'N1:sentiment_rising',
				'P1:new_detractor',
				'P2:new_detractor',
				'R1:repurchase_overdue',
				'R4:repurchase_overdue',
				'S1:sla_first_response',
				'S3:sla_first_response',
				'U1:usage_drop',
				'U3:usage_drop'
			].sort()
		);
		expect(d1.every((r) => r.status === 'open' && r.openedAsOf === D1)).toBe(true);
	});

	test('evidence: value, the account’s baseline, the threshold and details', () => {
		const by = Object.fromEntries(d1.map((r) => [key(r), r]));
		expect(by['U1:usage_drop']).toMatchObject({
			severity: 'warning',
			value: 60,
			baseline: 100,
			threshold: 0.3,
			detail: { metric: 'key_events', change: '-0.4', window_days: '28', window_end: D1 }
		});
		expect(by['U3:usage_drop']).toMatchObject({ severity: 'critical', value: 30, baseline: 100 });
		expect(by['S1:sla_first_response']).toMatchObject({
			severity: 'warning',
			value: 6,
			baseline: null,
			threshold: 4,
			detail: { ticket_id: 'T-S1', priority: 'high', answered: '1', tickets: '2' }
		});
		expect(by['S3:sla_first_response']).toMatchObject({
			value: 4,
			threshold: 1,
			detail: { ticket_id: 'T-S3', priority: 'urgent', answered: '0', tickets: '1' }
		});
		expect(by['R1:repurchase_overdue']).toMatchObject({
			value: 101,
			baseline: 10,
			threshold: 15,
			detail: { last_purchase: '2025-03-21', purchase_days: '3' }
		});
		expect(by['R4:repurchase_overdue']).toMatchObject({ value: 154, baseline: 7, threshold: 10.5 });
		expect(by['N1:sentiment_rising']).toMatchObject({
			value: 2,
			baseline: 1,
			detail: { negative_tickets: '1', detractor_comments: '1' }
		});
		expect(by['P1:new_detractor']).toMatchObject({
			severity: 'warning',
			value: 3,
			threshold: 6,
			detail: { response_id: 'NPS-P1', responded_on: '2025-06-25', responses: '1' }
		});
		expect(by['P2:new_detractor']).toMatchObject({ severity: 'critical', value: 6 });
		expect(by['P2:new_detractor']!.ownerEmail).toBe('csm2@example.cn');
		expect(by['U1:usage_drop']!.name).toBe('Account U1');
	});

	test('summary per signal and severity, and accounts with a critical alert', async () => {
		const s = await alertSummary(t.db, { asOf: D1 });
		expect(s.rows.map((r) => [r.signal, r.severity, r.openAlerts])).toEqual([
			['new_detractor', 'critical', 1],
			['new_detractor', 'warning', 2],
			['usage_drop', 'critical', 1],
			['usage_drop', 'warning', 1],
			['repurchase_overdue', 'warning', 2],
			['sla_first_response', 'warning', 2],
			['sentiment_rising', 'warning', 1]
		]);
		// Critical: P2 and U3. Warning: N1 (twice), P1, U1, R1, R4, S1, S3 = 7 accounts.
		expect(s.accountsBySeverity).toEqual({ critical: 2, warning: 7 });
	});

	test('filters, scope and the other options apply', async () => {
		const tierA = await alerts(t.db, { asOf: D1, filters: { tier: ['A'] } });
		expect(tierA.rows.map(key)).toEqual(['P2:new_detractor']);
		const csm2 = await alerts(t.db, { scope: { owners: ['csm2@example.cn'] } });
		expect(csm2.rows.map(key)).toEqual(['P2:new_detractor']);
		expect((await alerts(t.db, { scope: {} })).total).toBe(0);
		const critical = await alerts(t.db, { severity: 'critical' });
		expect(critical.rows.map(key).sort()).toEqual(['P2:new_detractor', 'U3:usage_drop']);
		const page = await alerts(t.db, { signal: 'sla_first_response', limit: 1, offset: 1 });
		expect([page.total, page.rows.length]).toEqual([2, 1]);
		expect(
			await accountAlerts(t.db, { accountId: 'N1', scope: { owners: ['csm2@example.cn'] } })
		).toEqual([]);
		await expect(alerts(t.db, { signal: 'nope' as 'usage_drop' })).rejects.toThrow(
			"Unknown signal 'nope': use one of"
		);
	});
});

describe('across refreshes', () => {
	let d2: AlertRow[];
	beforeAll(async () => {
		// P4's detractor response of 06-20 arrives after the D1 refresh: not new as of D2.
		await loadEntity(t.db, files, 'survey_responses', [
			{
				response_id: 'NPS-P4',
				account_id: 'P4',
				survey_type: 'nps',
				score: 1,
				responded_at: '2025-06-20 10:00:00'
			}
		]);
		await refresh(D2, HEALTH_D2);
		d2 = (await accountAlertsAll(D2)).rows;
	});
	const accountAlertsAll = (asOf: string) => alerts(t.db, { asOf, status: 'all', limit: 1000 });
	const find = (list: AlertRow[], k: string) => list.filter((r) => key(r) === k);

	test('a signal seen again updates the same alert: same id, last seen moves, new evidence', () => {
		const s3Before = find(d1, 'S3:sla_first_response')[0]!;
		const s3 = find(d2, 'S3:sla_first_response');
		expect(s3).toHaveLength(1);
		// As of D2 the urgent ticket has been answered: 13 h (20:00 to 09:00) against 1 h.
		expect(s3[0]).toMatchObject({
			alertId: s3Before.alertId,
			status: 'open',
			openedAsOf: D1,
			lastSeenAsOf: D2,
			value: 13,
			detail: { answered: '1' }
		});
		const u3 = find(d2, 'U3:usage_drop')[0]!;
		expect([u3.alertId, u3.lastSeenAsOf, u3.value, u3.baseline]).toEqual([
			find(d1, 'U3:usage_drop')[0]!.alertId,
			D2,
			30,
			100
		]);
		// P1's 06-25 response is still within 30 days of D2 (after 06-15) but not new: kept open.
		expect(find(d2, 'P1:new_detractor')[0]).toMatchObject({ status: 'open', lastSeenAsOf: D2 });
	});

	test('a signal no longer firing resolves its alert automatically', () => {
		const resolved = d2
			.filter((r) => r.status === 'resolved')
			.map(key)
			.sort();
		// U1 recovered (160 against 100); S1's tickets are older than 30 days (06-10, 06-12 ≤
		// 06-15); R1 ordered on 07-10; N1: no negative item after 06-15 and its detractor response
		// (06-15) left the 30-day window.
		expect(resolved).toEqual(
			[
				'N1:new_detractor',
				'N1:sentiment_rising',
				'R1:repurchase_overdue',
				'S1:sla_first_response',
				'U1:usage_drop'
			].sort()
		);
		const u1 = find(d2, 'U1:usage_drop')[0]!;
		expect(u1).toMatchObject({
			resolvedAsOf: D2,
			resolution: 'auto',
			lastSeenAsOf: D1,
			value: 60,
			alertId: find(d1, 'U1:usage_drop')[0]!.alertId
		});
	});

	test('new alerts: P3 responded after D1, R2 is now 30 days past a 10-day rhythm, health drops', () => {
		const opened = d2
			.filter((r) => r.openedAsOf === D2)
			.map(key)
			.sort();
		expect(opened).toEqual(
			[
				'H1:health_band_drop',
				'H2:health_band_drop',
				'H3:health_band_drop',
				'P3:new_detractor',
				'R2:repurchase_overdue'
			].sort()
		);
		// P4 responded on 06-20, before D1's date: not a new detractor as of D2.
		expect(find(d2, 'P4:new_detractor')).toEqual([]);
		expect(find(d2, 'H1:health_band_drop')[0]).toMatchObject({
			severity: 'warning',
			value: 60,
			baseline: 80,
			threshold: 70,
			detail: { band_from: 'green', band_to: 'yellow' }
		});
		expect(find(d2, 'H2:health_band_drop')[0]).toMatchObject({
			severity: 'critical',
			baseline: 55,
			threshold: 40,
			detail: { band_from: 'yellow', band_to: 'red' }
		});
		expect(find(d2, 'H3:health_band_drop')[0]).toMatchObject({
			severity: 'critical',
			detail: { band_from: 'green', band_to: 'red' }
		});
	});

	test('as of D1 the alerts read as they were then', async () => {
		const asOfD1 = await alerts(t.db, { asOf: D1 });
		expect(asOfD1.rows.map(key).sort()).toEqual(d1.map(key).sort());
	});

	test('refreshing the same date again does not duplicate, and redoes its changes', async () => {
		const before = await stored();
		// P3 corrects its score to 9 before the second refresh of D2: the alert the first one
		// opened is resolved, not kept and not doubled.
		await loadEntity(t.db, files, 'survey_responses', [
			{
				response_id: 'NPS-P3',
				account_id: 'P3',
				contact_id: 'C-P3',
				survey_type: 'nps',
				score: 9,
				responded_at: '2025-07-10 10:00:00'
			}
		]);
		await refresh(D2, HEALTH_D2);
		const after = await stored();
		expect(after.length).toBe(before.length);
		const dupes = await rows(
			t.db,
			`SELECT account_id, signal FROM alerts FINAL WHERE status = 'open'
			 GROUP BY account_id, signal HAVING count() > 1`
		);
		expect(dupes).toEqual([]);
		const changed = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i]));
		expect(changed.map((r) => [r.account_id, r.signal, r.status, r.opened, r.resolved])).toEqual([
			['P3', 'new_detractor', 'resolved', D2, D2]
		]);
	});

	test('health: open while below the band it dropped from; a new drop opens a new alert', async () => {
		await refresh(D3, HEALTH_D3);
		const d3 = (await accountAlertsAll(D3)).rows;
		const h = (id: string) => find(d3, `${id}:health_band_drop`);
		// H1 still yellow: open since D2, band_from green.
		expect(h('H1')[0]).toMatchObject({
			status: 'open',
			openedAsOf: D2,
			lastSeenAsOf: D3,
			value: 62
		});
		// H2 back to yellow, the band it dropped from: resolved.
		expect(h('H2')[0]).toMatchObject({ status: 'resolved', resolvedAsOf: D3 });
		// H3 red → yellow, still below green: open, warning now, first drop's baseline kept.
		expect(h('H3')[0]).toMatchObject({
			status: 'open',
			severity: 'warning',
			value: 50,
			baseline: 75,
			threshold: 70,
			detail: { band_from: 'green', band_to: 'yellow' }
		});
		// H5 yellow → red.
		expect(h('H5')[0]).toMatchObject({
			status: 'open',
			openedAsOf: D3,
			severity: 'critical',
			detail: { band_from: 'yellow', band_to: 'red' }
		});
		// The D1 detractor responses (06-25, 06-28) left the 30 days after 07-01: resolved.
		expect(find(d3, 'P1:new_detractor')[0]).toMatchObject({ status: 'resolved', resolvedAsOf: D3 });
		expect(find(d3, 'P2:new_detractor')[0]).toMatchObject({ status: 'resolved' });
	});

	test('a refresh of an earlier date leaves the alerts as they are', async () => {
		const before = await stored();
		await refresh(D1, HEALTH_D1);
		expect(await stored()).toEqual(before);
		const [n] = await rows<{ n: string }>(
			t.db,
			`SELECT count() AS n FROM alert_signals WHERE as_of = '${D1}'`
		);
		expect(Number(n!.n)).toBeGreaterThan(0);
	});
});
