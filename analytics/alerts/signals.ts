/**
 * The early-warning signals of METRICS.md ("Health and early warning"), their severities and the
 * windows they look at. The rules themselves are SQL (sql/queries/alerts-signal-*.sql); README.md
 * beside this file states each one.
 */

/** Signal keys, in the order the portal lists them. */
export const ALERT_SIGNALS = [
	'health_band_drop',
	'new_detractor',
	'usage_drop',
	'repurchase_overdue',
	'sla_first_response',
	'sentiment_rising'
] as const;
export type AlertSignal = (typeof ALERT_SIGNALS)[number];

/** critical: counts towards "At risk" (METRICS.md); warning: on the worklist only. */
export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * Windows in days. METRICS.md names the thresholds (settings) but not the periods; these are the
 * product's choice, documented in README.md.
 */
export const ALERT_WINDOWS = {
	/** Usage: the last 28 days of usage data against the 28 before (four whole weeks each). */
	usageDays: 28,
	/** Negative sentiment: the last 30 days against the 30 before. */
	sentimentDays: 30,
	/** SLA: late first responses of tickets created in the last 30 days. */
	slaRecentDays: 30,
	/** A detractor response is "new" after the previous refresh, and keeps its alert this long. */
	detractorDays: 30
} as const;
