/**
 * Voice-of-customer and service datasets for `tenure export` and the portal's downloads: the NPS
 * trend, the NPS verbatims, service metrics per period and the open escalations.
 */
import type { Dataset, DatasetOptions } from '../datasets.ts';
import { GRAINS, NPS_CATEGORIES, type Grain, type NpsCategory } from './nps-math.ts';
import { npsComments, npsTrend, NPS_GROUPS, type NpsGroup } from './nps.ts';
import { oneOf } from './read.ts';
import { serviceEscalations, serviceTrend } from './service.ts';

/** Rows per page of the paged datasets. */
const PAGE = 5_000;

const read = (opts: DatasetOptions) => ({
	asOf: opts.asOf,
	filters: opts.filters,
	scope: opts.scope ?? 'all'
});

const grainOption = {
	description: 'period length',
	values: GRAINS,
	fallback: 'month'
};

export const VOC_DATASETS: readonly Dataset[] = [
	{
		name: 'nps',
		description:
			'NPS per month or quarter (optionally per segment, region, industry or tier): responses, promoters, passives, detractors, NPS, 95% margin of error in points, low sample; periods without responses have n 0 and no NPS',
		columns: [
			'period',
			'group',
			'n',
			'promoters',
			'passives',
			'detractors',
			'nps',
			'margin_of_error',
			'low_sample'
		],
		options: {
			grain: grainOption,
			by: {
				description: 'account attribute to break the NPS down by',
				values: ['none', ...NPS_GROUPS],
				fallback: 'none'
			}
		},
		async *run(db, opts) {
			const grain = oneOf<Grain>(opts.options?.grain ?? 'month', GRAINS, 'grain');
			const by = oneOf(opts.options?.by ?? 'none', ['none', ...NPS_GROUPS], 'NPS grouping');
			const rows = await npsTrend(db, {
				...read(opts),
				grain,
				by: by === 'none' ? null : (by as NpsGroup)
			});
			yield rows.map((r) => ({
				period: r.period,
				group: r.group,
				n: r.n,
				promoters: r.promoters,
				passives: r.passives,
				detractors: r.detractors,
				nps: r.nps,
				margin_of_error: r.marginOfError,
				low_sample: r.lowSample ? 1 : 0
			}));
		}
	},
	{
		name: 'nps-comments',
		description:
			'NPS verbatims: every NPS response with a comment through the refresh date, newest first, with its account, score and category',
		columns: [
			'response_id',
			'responded_at',
			'account_id',
			'account_name',
			'score',
			'category',
			'comment'
		],
		options: {
			category: {
				description: 'only responses of this NPS category',
				values: ['all', ...NPS_CATEGORIES],
				fallback: 'all'
			}
		},
		async *run(db, opts) {
			const category = oneOf(
				opts.options?.category ?? 'all',
				['all', ...NPS_CATEGORIES],
				'category'
			);
			let asOf = opts.asOf;
			for (let offset = 0; ; offset += PAGE) {
				const page = await npsComments(db, {
					...read(opts),
					asOf,
					category: category === 'all' ? undefined : (category as NpsCategory),
					limit: PAGE,
					offset
				});
				// Later pages read the same refresh even if a newer one lands meanwhile.
				asOf = page.refresh.asOf;
				yield page.rows.map((r) => ({
					response_id: r.responseId,
					responded_at: r.respondedAt,
					account_id: r.accountId,
					account_name: r.accountName,
					score: r.score,
					category: r.category,
					comment: r.comment
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	},
	{
		name: 'service',
		description:
			'Service metrics per month or quarter of ticket creation: tickets, CSAT (share rated 4-5), CES, first response time (mean, median hours), SLA breach rate, FCR, complaints opened and resolved, closure rate, escalations',
		columns: [
			'period',
			'tickets',
			'csat',
			'ces',
			'frt_mean_hours',
			'frt_median_hours',
			'sla_breach_rate',
			'fcr',
			'complaints_opened',
			'complaints_resolved',
			'complaint_closure_rate',
			'escalations'
		],
		options: { grain: grainOption },
		async *run(db, opts) {
			const grain = oneOf<Grain>(opts.options?.grain ?? 'month', GRAINS, 'grain');
			const rows = await serviceTrend(db, { ...read(opts), grain });
			yield rows.map((r) => ({
				period: r.period,
				tickets: r.tickets,
				csat: r.csat,
				ces: r.ces,
				frt_mean_hours: r.frtMeanHours,
				frt_median_hours: r.frtMedianHours,
				sla_breach_rate: r.slaBreachRate,
				fcr: r.fcr,
				complaints_opened: r.complaintsOpened,
				complaints_resolved: r.complaintsResolved,
				complaint_closure_rate: r.complaintClosureRate,
				escalations: r.escalations
			}));
		}
	},
	{
		name: 'escalations',
		description:
			"Complaints open on the refresh date and older than complaint_escalation_business_days business days (China's holiday calendar and the tenant's overrides), with the account's owner and the owner's manager; oldest first",
		columns: [
			'ticket_id',
			'account_id',
			'account_name',
			'owner_email',
			'manager_email',
			'team',
			'created_at',
			'business_days_open',
			'priority',
			'category',
			'status'
		],
		async *run(db, opts) {
			let asOf = opts.asOf;
			for (let offset = 0; ; offset += PAGE) {
				const page = await serviceEscalations(db, { ...read(opts), asOf, limit: PAGE, offset });
				asOf = page.refresh.asOf;
				yield page.rows.map((r) => ({
					ticket_id: r.ticketId,
					account_id: r.accountId,
					account_name: r.accountName,
					owner_email: r.ownerEmail,
					manager_email: r.managerEmail,
					team: r.team,
					created_at: r.createdAt,
					business_days_open: r.businessDaysOpen,
					priority: r.priority,
					category: r.category,
					status: r.status
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	}
];
