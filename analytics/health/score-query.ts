/**
 * The one definition of the health score (sql/queries/health-score.sql) and of the churn labels
 * (sql/queries/health-churn-labels.sql), with their parameters. The refresh step inserts the score
 * rows; the backtest joins them to the labels. Both statements are fixed files: composing them is
 * choosing between fixed texts, never text from a user.
 */
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import { loadQuery } from '../../sql/query.ts';
import { HEALTH_COMPONENTS, PRIORITIES, type AnalyticsSettings } from '../config.ts';
import { HEALTH_RULES } from './rules.ts';

/** Columns of health_scores, in table order (the score SELECT returns exactly these). */
export const HEALTH_SCORE_COLUMNS = [
	'refresh_id',
	'as_of',
	'account_id',
	'name',
	'segment',
	'region',
	'industry',
	'acquisition_channel',
	'owner_email',
	'team',
	'tier',
	'categories',
	'revenue_12m',
	'score',
	'band',
	'recency_score',
	'spend_score',
	'usage_score',
	'support_score',
	'sentiment_score',
	'payment_score',
	'relationship_score',
	'weights',
	'missing',
	'order_days',
	'last_order',
	'days_since_order',
	'median_gap_days',
	'spend_90d',
	'spend_prev_90d',
	'usage_days',
	'usage_events_90d',
	'usage_events_prev_90d',
	'tickets_90d',
	'sla_breaches_90d',
	'nps_latest',
	'nps_day',
	'csat_ratings_90d',
	'csat_good_90d',
	'sentiment_tickets_90d',
	'negative_tickets_90d',
	'invoices_considered',
	'overdue_invoices',
	'max_days_late',
	'last_touch',
	'days_since_touch'
] as const;

export interface ScoreQueryInput {
	/** The account_snapshot whose accounts are scored (and whose attributes are copied). */
	readonly refreshId: string;
	/** Only the snapshot's active accounts (the refresh step), or all of them (the backtest). */
	readonly activeOnly: boolean;
	/** YYYY-MM-DD: data through this local day. */
	readonly asOf: string;
	readonly tz: string;
	readonly currency: string;
	readonly settings: AnalyticsSettings;
}

/** Parameters of health-score.sql. */
export function healthScoreParams(input: ScoreQueryInput): Record<string, unknown> {
	const { settings } = input;
	return {
		refresh_id: input.refreshId,
		active_only: input.activeOnly,
		as_of: input.asOf,
		tz: input.tz,
		currency: input.currency,
		statuses: [...REVENUE_STATUSES],
		sla_priorities: [...PRIORITIES],
		sla_first_hours: PRIORITIES.map((p) => settings.slaFirstResponseHours[p]),
		sla_resolution_hours: PRIORITIES.map((p) => settings.slaResolutionHours[p]),
		sla_first_default: settings.slaFirstResponseHours.normal,
		sla_resolution_default: settings.slaResolutionHours.normal,
		// In the order of the SQL's component list, which is HEALTH_COMPONENTS' order.
		weights: HEALTH_COMPONENTS.map((c) => settings.healthWeights[c]),
		green: settings.healthGreen,
		yellow: settings.healthYellow,
		recency_zero_ratio: HEALTH_RULES.recencyZeroRatio,
		support_ticket_points: HEALTH_RULES.supportTicketPoints,
		support_breach_points: HEALTH_RULES.supportBreachPoints,
		payment_zero_days: HEALTH_RULES.paymentZeroDays,
		touch_full_days: HEALTH_RULES.touchFullDays,
		touch_zero_days: HEALTH_RULES.touchZeroDays
	};
}

export interface LabelQueryInput {
	readonly asOf: string;
	readonly horizonDays: number;
	readonly tz: string;
	readonly currency: string;
	readonly settings: AnalyticsSettings;
}

/** Parameters of health-churn-labels.sql. */
export function churnLabelParams(input: LabelQueryInput): Record<string, unknown> {
	return {
		as_of: input.asOf,
		horizon_days: input.horizonDays,
		tz: input.tz,
		currency: input.currency,
		statuses: [...REVENUE_STATUSES],
		business_model: input.settings.businessModel,
		churn_days: input.settings.churnInactivityDays,
		grace_days: input.settings.renewalGraceDays
	};
}

/** INSERT of the score rows into health_scores (the refresh step). */
export function insertScoresSql(): string {
	return `INSERT INTO health_scores (${HEALTH_SCORE_COLUMNS.join(', ')})\n${loadQuery('health-score')}`;
}

/**
 * The backtest's bins (health-backtest-bins.sql) with the score and label statements put in
 * where it names them: one definition of each, whoever runs it.
 */
export function backtestBinsSql(): string {
	return loadQuery('health-backtest-bins')
		.replace('__HEALTH_SCORE__', () => loadQuery('health-score'))
		.replace('__CHURN_LABELS__', () => loadQuery('health-churn-labels'));
}
