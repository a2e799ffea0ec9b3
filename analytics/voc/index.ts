/** Voice of the customer and service: NPS, CSAT, CES, response times, SLA, FCR, complaints. */
export {
	ACCOUNT_NPS_MONTHS,
	GRAINS,
	isLowSample,
	monthsBefore,
	NPS_CATEGORIES,
	npsCategory,
	npsStats,
	periodStart,
	periodStarts,
	type Grain,
	type NpsCategory,
	type NpsStats
} from './nps-math.ts';
export {
	accountNps,
	npsComments,
	npsSplit,
	npsTrend,
	NPS_GROUPS,
	type AccountNpsOptions,
	type AccountNpsRow,
	type NpsCommentRow,
	type NpsCommentsOptions,
	type NpsGroup,
	type NpsRow,
	type NpsSplitOptions,
	type NpsSplitRow,
	type NpsTrendOptions
} from './nps.ts';
export type { VocReadOptions } from './read.ts';
export {
	serviceEscalations,
	serviceTrend,
	type EscalationOptions,
	type EscalationRow,
	type ServicePeriodRow,
	type ServiceTrendOptions
} from './service.ts';
export { vocStep } from './refresh.ts';
export { VOC_DATASETS } from './datasets.ts';
