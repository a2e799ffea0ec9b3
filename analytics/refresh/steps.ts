import { alertsStep } from '../alerts/step.ts';
import { crossSellStep } from '../cross-sell/step.ts';
import { healthStep } from '../health/step.ts';
import { retentionStep } from '../retention/churn-events.ts';
import { segmentsStep } from '../segments/step.ts';
import { vocStep } from '../voc/refresh.ts';
import type { RefreshStep } from './context.ts';

/**
 * The steps `tenure refresh` runs after the base, in order: later steps read earlier ones
 * (segments' lifecycle and the alerts read health_scores).
 */
export const REFRESH_STEPS: readonly RefreshStep[] = [
	retentionStep,
	vocStep,
	healthStep,
	segmentsStep,
	crossSellStep,
	// Last: its merge into alerts is the refresh's final write (see analytics/alerts/README.md).
	alertsStep
];
