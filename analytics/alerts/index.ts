/** Early-warning alerts (METRICS.md, "Health and early warning"): the refresh step and reads. */
export { ALERT_DATASETS } from './datasets.ts';
export {
	accountAlerts,
	alerts,
	alertSummary,
	type AlertPage,
	type AlertRow,
	type AlertsOptions,
	type AlertSummary,
	type AlertSummaryRow
} from './read.ts';
export {
	ALERT_SEVERITIES,
	ALERT_SIGNALS,
	ALERT_STATUSES,
	ALERT_WINDOWS,
	type AlertSeverity,
	type AlertSignal,
	type AlertStatus
} from './signals.ts';
export { alertsStep } from './step.ts';
