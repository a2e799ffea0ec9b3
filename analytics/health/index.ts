/** The health score (METRICS.md, "Health and early warning"): refresh step, reads, backtest. */
export { healthStep } from './step.ts';
export {
	accountHealthHistory,
	healthBandTrend,
	healthScores,
	healthSummary,
	HEALTH_BANDS,
	HEALTH_SORTS,
	type ComponentScores,
	type HealthBand,
	type HealthBandSummary,
	type HealthBandTrendPoint,
	type HealthHistoryPoint,
	type HealthInputs,
	type HealthReadOptions,
	type HealthScorePage,
	type HealthScoreRow,
	type HealthSort,
	type HealthSummary
} from './read.ts';
export {
	churnLabels,
	healthBacktest,
	type ChurnLabel,
	type HealthBacktest,
	type HealthBacktestDate,
	type HealthBacktestOptions
} from './backtest.ts';
export { HEALTH_DATASETS } from './datasets.ts';
export { HEALTH_RULES } from './rules.ts';
