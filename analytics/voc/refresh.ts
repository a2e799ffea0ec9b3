/**
 * Refresh step "voc": the business-day calendar for the years the data spans, then the facts
 * the voice-of-customer and service reads scan (voc_responses, service_tickets; see
 * sql/migrations/0011_service.sql), each row with its account's filter columns as of the refresh.
 */
import { command, loadQuery, queryOne } from '../../sql/query.ts';
import { PRIORITIES } from '../config.ts';
import { loadBusinessCalendar } from '../calendar/store.ts';
import type { RefreshContext, RefreshStep } from '../refresh/context.ts';
import { ACCOUNT_NPS_MONTHS } from './nps-math.ts';

async function run(ctx: RefreshContext): Promise<void> {
	const { db, settings } = ctx;
	const span = await ctx.step('voc:span', () =>
		queryOne<{ first_day: string | null }>(
			db,
			loadQuery('calendar-data-span'),
			{ as_of: ctx.asOf, tz: ctx.tz },
			{ tag: 'refresh:voc-span' }
		)
	);
	const firstDay = span?.first_day ?? ctx.asOf;
	const coverage = await ctx.step('voc:calendar', () =>
		loadBusinessCalendar(db, Number(firstDay.slice(0, 4)), Number(ctx.asOf.slice(0, 4)))
	);
	if (coverage.warning) ctx.log(`  warning: ${coverage.warning}`);
	await ctx.step('voc:responses', () =>
		command(
			db,
			loadQuery('nps-refresh'),
			{
				refresh_id: ctx.refreshId,
				as_of: ctx.asOf,
				tz: ctx.tz,
				account_months: ACCOUNT_NPS_MONTHS
			},
			{ tag: 'refresh:voc-responses' }
		)
	);
	await ctx.step('voc:tickets', () =>
		command(
			db,
			loadQuery('service-refresh'),
			{
				refresh_id: ctx.refreshId,
				as_of: ctx.asOf,
				tz: ctx.tz,
				from: firstDay,
				priorities: [...PRIORITIES],
				frt_hours: PRIORITIES.map((p) => settings.slaFirstResponseHours[p]),
				res_hours: PRIORITIES.map((p) => settings.slaResolutionHours[p]),
				escalation_days: settings.complaintEscalationBusinessDays
			},
			{ tag: 'refresh:voc-tickets' }
		)
	);
}

/** Survey responses with NPS categories, tickets with SLA/FCR/complaint flags and escalations. */
export const vocStep: RefreshStep = {
	name: 'voc',
	tables: ['voc_responses', 'service_tickets'],
	run
};
