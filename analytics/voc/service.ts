/**
 * Service metrics over the refresh's service_tickets and CES responses (METRICS.md "Voice of the
 * customer and service"; definitions and denominators in README.md): CSAT, CES, first response
 * time, SLA breach rate, FCR, complaint closure and escalations, per month or quarter.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import { tenantSettings } from '../config.ts';
import { num, oneOf, type Raw } from '../read.ts';
import type { RefreshRef } from '../refresh/state.ts';
import { GRAINS, periodStarts, type Grain } from './nps-math.ts';
import { page, periodCount, readContext, type VocReadOptions } from './read.ts';

export interface ServicePeriodRow {
	/** First day of the month or quarter of ticket creation (YYYY-MM-DD). */
	readonly period: string;
	/** Tickets created in the period (through the as-of date). */
	readonly tickets: number;
	/** Tickets with a CSAT rating; csat = share of them rated 4–5, null when none. */
	readonly rated: number;
	readonly csat: number | null;
	/** CES survey responses in the period and their mean score, null when none. */
	readonly cesResponses: number;
	readonly ces: number | null;
	/** Tickets with a first response by the as-of date; mean and median hours to it. */
	readonly responded: number;
	readonly frtMeanHours: number | null;
	readonly frtMedianHours: number | null;
	/** Tickets that missed the first-response or the resolution target (or are past one unanswered). */
	readonly slaBreached: number;
	/** slaBreached ÷ tickets; null without tickets. */
	readonly slaBreachRate: number | null;
	/** Tickets resolved by the as-of date; fcr = share resolved with one interaction, never reopened. */
	readonly resolved: number;
	readonly fcr: number | null;
	/** Complaints opened in the period, and of them resolved by the as-of date. */
	readonly complaintsOpened: number;
	readonly complaintsResolved: number;
	/** complaintsResolved ÷ complaintsOpened; null without complaints. */
	readonly complaintClosureRate: number | null;
	readonly complaintClosureTarget: number;
	/** Whether the closure rate reaches the target; null without complaints. */
	readonly complaintClosureMet: boolean | null;
	/** Complaints opened in the period that are escalated as of the as-of date. */
	readonly escalations: number;
}

export interface ServiceTrendOptions extends VocReadOptions {
	/** Default month. */
	readonly grain?: Grain;
	/** How many periods, ending with the one of the as-of date (default 12 months / 8 quarters). */
	readonly periods?: number;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Service metrics per period; every period of the window appears (zero tickets, null rates). */
export async function serviceTrend(
	db: Db,
	options: ServiceTrendOptions = {}
): Promise<ServicePeriodRow[]> {
	const grain = oneOf(options.grain ?? 'month', GRAINS, 'grain');
	const count = periodCount(grain, options.periods);
	const [{ refresh, params }, settings] = await Promise.all([
		readContext(db, options),
		tenantSettings(db)
	]);
	const periods = periodStarts(refresh.asOf, grain, count);
	const query = { ...params, grain, from: periods[0] };
	const [tickets, ces] = await Promise.all([
		queryRows<Raw>(db, loadQuery('service-trend'), query, {
			tag: 'voc:service-trend'
		}),
		queryRows<Raw>(db, loadQuery('service-ces'), query, {
			tag: 'voc:service-ces'
		})
	]);
	const byPeriod = new Map(tickets.map((r) => [String(r.period_start), r]));
	const cesByPeriod = new Map(ces.map((r) => [String(r.period_start), r]));
	const target = settings.complaintClosureTarget;
	return periods.map((period) => {
		const t = byPeriod.get(period);
		const c = cesByPeriod.get(period);
		const n = (key: string) => Number(t?.[key] ?? 0);
		const responded = n('responded_n');
		const opened = n('complaints_opened');
		const closure = ratio(n('complaints_resolved'), opened);
		return {
			period,
			tickets: n('tickets'),
			rated: n('rated'),
			csat: ratio(n('satisfied'), n('rated')),
			cesResponses: Number(c?.responses ?? 0),
			ces: c ? num(c.ces) : null,
			responded,
			frtMeanHours: responded ? num(t?.frt_mean_hours) : null,
			frtMedianHours: responded ? num(t?.frt_median_hours) : null,
			slaBreached: n('sla_breached_n'),
			slaBreachRate: ratio(n('sla_breached_n'), n('tickets')),
			resolved: n('resolved_n'),
			fcr: ratio(n('fcr_tickets'), n('resolved_n')),
			complaintsOpened: opened,
			complaintsResolved: n('complaints_resolved'),
			complaintClosureRate: closure,
			complaintClosureTarget: target,
			complaintClosureMet: closure === null ? null : closure >= target,
			escalations: n('escalated_n')
		};
	});
}

export interface EscalationRow {
	readonly ticketId: string;
	readonly accountId: string;
	readonly accountName: string;
	/** The account's owner and the owner's manager (who the escalation goes to), as of the refresh. */
	readonly ownerEmail: string;
	readonly managerEmail: string;
	readonly team: string;
	/** UTC, 'YYYY-MM-DD hh:mm:ss'. */
	readonly createdAt: string;
	/** Local day of creation (YYYY-MM-DD). */
	readonly createdDay: string;
	/** Business days from the created day to the as-of date. */
	readonly businessDaysOpen: number;
	readonly priority: string;
	readonly category: string;
	/** The ticket's status in the source as loaded (it may have been resolved after the as-of date). */
	readonly status: string;
}

export interface EscalationOptions extends VocReadOptions {
	/** Default 100. */
	readonly limit?: number;
	readonly offset?: number;
}

/**
 * Complaints still open on the as-of date and older than the tenant's
 * complaint_escalation_business_days (default 3) business days, oldest first: each goes to the
 * owner's manager. Business days follow the calendar as it was at the refresh.
 */
export async function serviceEscalations(
	db: Db,
	options: EscalationOptions = {}
): Promise<{ refresh: RefreshRef; total: number; rows: EscalationRow[] }> {
	const { limit, offset } = page(options.limit, options.offset);
	const { refresh, params } = await readContext(db, options);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('service-escalations'),
		{ ...params, limit, offset },
		{ tag: 'voc:service-escalations' }
	);
	return {
		refresh,
		total: Number(rows[0]?.total ?? 0),
		rows: rows.map((r) => ({
			ticketId: String(r.ticket_id),
			accountId: String(r.account_id),
			accountName: String(r.account_name),
			ownerEmail: String(r.owner),
			managerEmail: String(r.manager),
			team: String(r.owner_team),
			createdAt: String(r.created_time),
			createdDay: String(r.created_local_day),
			businessDaysOpen: Number(r.business_days_open),
			priority: String(r.ticket_priority),
			category: String(r.ticket_category_name),
			status: String(r.ticket_status)
		}))
	};
}
