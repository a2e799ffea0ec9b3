import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	calendarCoverage,
	calendarOverrides,
	countBusinessDays,
	removeCalendarOverride,
	setCalendarOverride
} from '../../analytics/calendar/index.ts';
import { AnalyticsError } from '../../analytics/errors.ts';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import {
	serviceEscalations,
	serviceTrend,
	VOC_DATASETS,
	vocStep
} from '../../analytics/voc/index.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { loadEntity } from '../factories/core.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * Service metrics and complaint escalation on tickets small enough to work out by hand
 * (TENURE_TZ Asia/Shanghai, default settings: SLA urgent 1h/8h, high 4h/24h, normal 24h/72h,
 * low 48h/120h; escalation after 3 business days; closure target 0.9).
 *
 * China's 2025 National Day arrangement (State Council, 国办发明电〔2024〕12号): 10-01 to 10-08
 * off; Sunday 09-28 and Saturday 10-11 are make-up working days.
 *
 * As of 2025-10-11 (the end of that local day is 2025-10-12 00:00 +08:00):
 *   ticket  account priority created (local)   first response  resolved          notes
 *   T1      S1      urgent   09-10 10:00       +2h             09-10 15:00 (+5h) csat 5, 1 interaction
 *   T2      S1      high     09-10 10:00       +2h             09-11 09:00 (+23h) csat 3, 3 interactions
 *   T3      S1      normal   09-12 09:00       +1h             09-16 09:00 (+96h) csat 4, 1 interaction, reopened
 *   T4      S2      low      09-15 09:00       none            none              open
 *   T5      S2      normal   09-20 09:00       +0.5h           09-22 09:00 (+48h) complaint, csat 2, 1 interaction
 *   C1      S1      normal   09-30 10:00       +1h             none              complaint
 *   C2      S2      normal   09-05 09:00       +1h             10-12 09:00 (after D) complaint
 *   C3      S2      high     10-09 09:00       +1h             10-09 12:00       complaint, 2 interactions
 *   T6      S1      urgent   10-12 08:00       (created after D: not counted)
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const D = '2025-10-11';

const ticket = (
	id: string,
	account: string,
	priority: string,
	created: string,
	firstResponse: string,
	resolved: string,
	extra: Partial<Record<string, string | number>> = {}
) => ({
	ticket_id: id,
	account_id: account,
	created_at: created,
	first_response_at: firstResponse,
	resolved_at: resolved,
	priority,
	ticket_type: 'question',
	status: resolved ? 'resolved' : 'open',
	csat: '',
	agent_interactions: 1,
	reopened: 0,
	...extra
});

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(t.db, files, 'owners', [
		{ owner_email: 'alice@x.cn', name: 'Alice', team: 'East', manager_email: 'mgr-east@x.cn' },
		{ owner_email: 'bob@x.cn', name: 'Bob', team: 'South', manager_email: 'mgr-south@x.cn' }
	]);
	await loadEntity(t.db, files, 'accounts', [
		{
			account_id: 'S1',
			name: 'Smb One',
			segment: 'smb',
			owner_email: 'alice@x.cn',
			created_at: '2024-01-01 00:00:00'
		},
		{
			account_id: 'S2',
			name: 'Ent Two',
			segment: 'enterprise',
			owner_email: 'bob@x.cn',
			created_at: '2024-01-01 00:00:00'
		}
	]);
	// A counted order: a refresh needs a reporting currency.
	await loadEntity(t.db, files, 'orders', [
		{
			order_id: 'O1',
			account_id: 'S1',
			ordered_at: '2025-09-01 10:00:00',
			status: 'completed',
			currency: 'CNY',
			net_amount: '100.00'
		}
	]);
	await loadEntity(t.db, files, 'tickets', [
		ticket(
			'T1',
			'S1',
			'urgent',
			'2025-09-10 10:00:00',
			'2025-09-10 12:00:00',
			'2025-09-10 15:00:00',
			{
				csat: 5
			}
		),
		ticket(
			'T2',
			'S1',
			'high',
			'2025-09-10 10:00:00',
			'2025-09-10 12:00:00',
			'2025-09-11 09:00:00',
			{
				csat: 3,
				agent_interactions: 3
			}
		),
		ticket(
			'T3',
			'S1',
			'normal',
			'2025-09-12 09:00:00',
			'2025-09-12 10:00:00',
			'2025-09-16 09:00:00',
			{
				csat: 4,
				reopened: 1
			}
		),
		ticket('T4', 'S2', 'low', '2025-09-15 09:00:00', '', ''),
		ticket(
			'T5',
			'S2',
			'normal',
			'2025-09-20 09:00:00',
			'2025-09-20 09:30:00',
			'2025-09-22 09:00:00',
			{
				ticket_type: 'complaint',
				csat: 2
			}
		),
		ticket('C1', 'S1', 'normal', '2025-09-30 10:00:00', '2025-09-30 11:00:00', '', {
			ticket_type: 'complaint'
		}),
		ticket(
			'C2',
			'S2',
			'normal',
			'2025-09-05 09:00:00',
			'2025-09-05 10:00:00',
			'2025-10-12 09:00:00',
			{
				ticket_type: 'complaint'
			}
		),
		ticket(
			'C3',
			'S2',
			'high',
			'2025-10-09 09:00:00',
			'2025-10-09 10:00:00',
			'2025-10-09 12:00:00',
			{
				ticket_type: 'complaint',
				agent_interactions: 2
			}
		),
		ticket('T6', 'S1', 'urgent', '2025-10-12 08:00:00', '', '')
	]);
	await loadEntity(t.db, files, 'survey_responses', [
		// CES: September 2 and 5 → mean 3.5; nothing in October. The NPS response is not CES.
		{
			response_id: 'E1',
			account_id: 'S1',
			survey_type: 'ces',
			score: 2,
			responded_at: '2025-09-11 10:00:00'
		},
		{
			response_id: 'E2',
			account_id: 'S2',
			survey_type: 'ces',
			score: 5,
			responded_at: '2025-09-25 10:00:00'
		},
		{
			response_id: 'N1',
			account_id: 'S2',
			survey_type: 'nps',
			score: 10,
			responded_at: '2025-10-02 10:00:00'
		}
	]);
	await refreshAnalytics(t.db, { asOf: '2025-10-06', steps: [vocStep] });
	await refreshAnalytics(t.db, { asOf: D, steps: [vocStep] });
}, 120_000);
afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

describe('service metrics per month', () => {
	test('CSAT, CES, first response time, SLA breaches, FCR and complaint closure, as worked out by hand', async () => {
		const trend = await serviceTrend(t.db, { asOf: D, periods: 3 });
		expect(trend.map((r) => r.period)).toEqual(['2025-08-01', '2025-09-01', '2025-10-01']);
		const [aug, sep, oct] = trend;
		// No tickets in August: counts 0, rates null (not 0).
		expect(aug).toMatchObject({
			tickets: 0,
			csat: null,
			ces: null,
			frtMeanHours: null,
			frtMedianHours: null,
			slaBreachRate: null,
			fcr: null,
			complaintClosureRate: null,
			complaintClosureMet: null,
			escalations: 0
		});
		expect(sep).toEqual({
			period: '2025-09-01',
			tickets: 7,
			// Rated T1 5, T2 3, T3 4, T5 2: two of four are 4–5.
			rated: 4,
			csat: 2 / 4,
			// CES responses 2 and 5.
			cesResponses: 2,
			ces: (2 + 5) / 2,
			// Answered by D: T1 2h, T2 2h, T3 1h, T5 0.5h, C1 1h, C2 1h (T4 never).
			responded: 6,
			frtMeanHours: (2 + 2 + 1 + 0.5 + 1 + 1) / 6,
			// Sorted 0.5, 1, 1, 1, 2, 2: the middle two are 1 and 1.
			frtMedianHours: 1,
			// T1 answered after 2h > urgent 1h; T3 resolved after 96h > normal 72h; T4 unanswered
			// past low 48h; C1 and C2 unresolved past normal 72h as of D (C2's resolution on 10-12
			// is after D). T2 (2h ≤ 4h, 23h ≤ 24h) and T5 (0.5h, 48h ≤ 72h) are within their targets.
			slaBreached: 5,
			slaBreachRate: 5 / 7,
			// Resolved by D: T1, T2, T3, T5. FCR: T1 and T5 (T2 took 3 interactions, T3 reopened).
			resolved: 4,
			fcr: 2 / 4,
			// Complaints opened: T5, C1, C2; resolved by D: T5.
			complaintsOpened: 3,
			complaintsResolved: 1,
			complaintClosureRate: 1 / 3,
			complaintClosureTarget: 0.9,
			complaintClosureMet: false,
			// C2: open, (09-05, 10-11] holds 18 September business days (with Sunday 09-28) and
			// 10-09, 10-10, 10-11 → 21 > 3. C1: 10-09, 10-10, 10-11 → 3, not more than 3.
			escalations: 1
		});
		// October: C3 only (T6 was created after D). Answered after 1h, resolved after 3h, closed.
		expect(oct).toMatchObject({
			tickets: 1,
			rated: 0,
			csat: null,
			ces: null,
			frtMeanHours: 1,
			frtMedianHours: 1,
			slaBreachRate: 0,
			resolved: 1,
			fcr: 0,
			complaintsOpened: 1,
			complaintsResolved: 1,
			complaintClosureRate: 1,
			complaintClosureMet: true,
			escalations: 0
		});
	});

	test('an SLA breach follows the priority: 2 h to the first response breaches urgent (1 h), not high (4 h)', async () => {
		const flags = await rows<{ ticket_id: string; frt_breached: number; sla_breached: number }>(
			t.db,
			`SELECT ticket_id, frt_breached, sla_breached FROM service_tickets
			 WHERE refresh_id = (SELECT refresh_id FROM analytics_refreshes FINAL
			                     WHERE as_of = '${D}' AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1)
			   AND ticket_id IN ('T1', 'T2') ORDER BY ticket_id`
		);
		expect(flags).toEqual([
			{ ticket_id: 'T1', frt_breached: 1, sla_breached: 1 },
			{ ticket_id: 'T2', frt_breached: 0, sla_breached: 0 }
		]);
	});

	test('quarters sum their months', async () => {
		const [q] = await serviceTrend(t.db, { asOf: D, grain: 'quarter', periods: 1 });
		// Q4 2025 so far is October: the same as the October row.
		expect(q).toMatchObject({ period: '2025-10-01', tickets: 1, complaintsOpened: 1 });
		const [q3] = await serviceTrend(t.db, {
			asOf: '2025-09-30',
			grain: 'quarter',
			periods: 1
		}).catch((e: unknown) => [e]);
		// No refresh as of 09-30: the error says what to run.
		expect(q3).toBeInstanceOf(AnalyticsError);
		expect(String((q3 as Error).message)).toContain('tenure refresh --as-of 2025-09-30');
	});

	test('filters and scope narrow the tickets', async () => {
		const [sep] = await serviceTrend(t.db, {
			asOf: D,
			periods: 2,
			filters: { segment: ['smb'] }
		});
		// S1's September tickets: T1, T2, T3, C1; breached T1, T3, C1.
		expect(sep).toMatchObject({ period: '2025-09-01', tickets: 4, slaBreachRate: 3 / 4 });
		const [bobs] = await serviceTrend(t.db, {
			asOf: D,
			periods: 2,
			scope: { owners: ['bob@x.cn'] }
		});
		// S2's: T4, T5, C2; breached T4, C2; complaints T5 (resolved) and C2.
		expect(bobs).toMatchObject({
			tickets: 3,
			slaBreachRate: 2 / 3,
			complaintsOpened: 2,
			complaintClosureRate: 1 / 2
		});
		const alice = await serviceEscalations(t.db, { asOf: D, scope: { owners: ['alice@x.cn'] } });
		expect(alice.rows).toEqual([]);
		const nobody = await serviceTrend(t.db, { asOf: D, periods: 1, scope: {} });
		expect(nobody[0]?.tickets).toBe(0);
	});
});

describe('complaint escalation over the business-day calendar', () => {
	test('the calendar of the years the data spans is loaded from the package', async () => {
		expect(await calendarCoverage(t.db, 2025, 2025)).toEqual({
			statutoryYears: [2025],
			fallbackYears: [],
			warning: null
		});
		// 2030 is not loaded (and chinese-days does not know it): a warning that says so.
		const later = await calendarCoverage(t.db, 2025, 2030);
		expect(later.fallbackYears).toEqual([2026, 2027, 2028, 2029, 2030]);
		expect(later.warning).toContain('Monday to Friday');
	});

	test('a complaint created just before National Day is not escalated after the holiday days', async () => {
		// As of Monday 10-06: C1 (created Tuesday 09-30) has 0 business days (10-01 to 10-06 are
		// holidays); counted Monday to Friday it would be 4 (Wed, Thu, Fri, Mon) and escalated.
		const before = await serviceEscalations(t.db, { asOf: '2025-10-06' });
		// C2: 18 September business days after 09-05 (8–12, 15–19, 22–26, Sunday 28, 29, 30).
		expect(before.rows.map((r) => [r.ticketId, r.businessDaysOpen])).toEqual([['C2', 18]]);
		expect(await countBusinessDays(t.db, '2025-09-30', '2025-10-06')).toBe(0);
		// As of Saturday 10-11 (a make-up working day): 10-09, 10-10, 10-11 = 3, still not more than 3.
		const after = await serviceEscalations(t.db, { asOf: D });
		expect(after.total).toBe(1);
		expect(after.rows).toEqual([
			{
				ticketId: 'C2',
				accountId: 'S2',
				accountName: 'Ent Two',
				ownerEmail: 'bob@x.cn',
				managerEmail: 'mgr-south@x.cn',
				team: 'South',
				// 09:00 in Shanghai is 01:00 UTC.
				createdAt: '2025-09-05 01:00:00',
				createdDay: '2025-09-05',
				businessDaysOpen: 21,
				priority: 'normal',
				category: '',
				// The source's status now: C2 was resolved on 10-12, after D.
				status: 'resolved'
			}
		]);
		expect(await countBusinessDays(t.db, '2025-09-30', D)).toBe(3);
	});

	test('a tenant override making a holiday a working day changes the count from the next refresh', async () => {
		await setCalendarOverride(t.db, {
			day: '2025-10-08',
			isWorkday: true,
			note: '公司安排 10-08 上班',
			updatedBy: 'admin@x.cn'
		});
		expect((await calendarOverrides(t.db)).map((o) => [o.day, o.isWorkday, o.note])).toEqual([
			['2025-10-08', true, '公司安排 10-08 上班']
		]);
		// The live count changes at once: 10-08, 10-09, 10-10, 10-11.
		expect(await countBusinessDays(t.db, '2025-09-30', D)).toBe(4);
		// The stored facts change with the next refresh: C1 is now 4 > 3 business days old.
		expect((await serviceEscalations(t.db, { asOf: D })).total).toBe(1);
		await refreshAnalytics(t.db, { asOf: D, steps: [vocStep] });
		const escalated = await serviceEscalations(t.db, { asOf: D });
		// C2: 21 + 10-08 = 22; C1 goes to Alice's manager.
		expect(escalated.rows.map((r) => [r.ticketId, r.businessDaysOpen, r.managerEmail])).toEqual([
			['C2', 22, 'mgr-south@x.cn'],
			['C1', 4, 'mgr-east@x.cn']
		]);
		const [sep] = await serviceTrend(t.db, { asOf: D, periods: 2 });
		expect(sep?.escalations).toBe(2);
		// Removing the override restores the statutory count.
		await removeCalendarOverride(t.db, '2025-10-08', 'admin@x.cn');
		expect(await calendarOverrides(t.db)).toEqual([]);
		expect(await countBusinessDays(t.db, '2025-09-30', D)).toBe(3);
	});

	test('the service and escalations datasets have their documented columns', async () => {
		const byName = new Map(VOC_DATASETS.map((d) => [d.name, d]));
		for (const name of ['service', 'escalations']) {
			const dataset = byName.get(name)!;
			const pages: Record<string, unknown>[][] = [];
			for await (const page of dataset.run(t.db, { asOf: D })) pages.push([...page]);
			const first = pages[0]?.[0];
			expect(Object.keys(first ?? {}), name).toEqual(dataset.columns);
		}
	});
});
