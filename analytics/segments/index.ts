/** Customer value segments (METRICS.md "Value"): RFM, tiers A/B/C, lifecycle stages, Pareto. */
export {
	fmScore,
	quintileScore,
	quintileScores,
	RFM_SEGMENT_NAMES,
	RFM_SEGMENTS,
	rfmSegment,
	scoreRfm,
	SEGMENT_GRID,
	type RfmInput,
	type RfmScores,
	type RfmSegment,
	type Score
} from './scoring.ts';
export {
	LIFECYCLE_STAGES,
	lifecycleStage,
	type LifecycleInput,
	type LifecycleSettings,
	type LifecycleStage
} from './lifecycle-rule.ts';
export { curveFractions, PARETO_MARKS, paretoShares } from './pareto-math.ts';

// Over the database: the refresh step and the portal's reads.
export { segmentsStep } from './step.ts';
export type { PageOptions, SegmentReadOptions } from './read-options.ts';
export {
	RFM_SORTS,
	rfmAccounts,
	rfmSegmentMap,
	type RfmAccountRow,
	type RfmAccountsOptions,
	type RfmGridCell,
	type RfmSegmentMap,
	type RfmSegmentSummary,
	type RfmSort
} from './rfm.ts';
export {
	TIER_SORTS,
	TIERS,
	tierAccounts,
	tierSummary,
	type Tier,
	type TierAccountRow,
	type TierAccountsOptions,
	type TierSort,
	type TierSummaryRow
} from './tiers.ts';
export {
	LIFECYCLE_SORTS,
	lifecycleAccounts,
	lifecycleSummary,
	type HealthBand,
	type LifecycleAccountRow,
	type LifecycleAccountsOptions,
	type LifecycleSort,
	type LifecycleSummaryRow
} from './lifecycle.ts';
export {
	MAX_PARETO_POINTS,
	paretoCurve,
	type ParetoCurve,
	type ParetoOptions,
	type ParetoPoint
} from './pareto.ts';
export { SEGMENT_DATASETS } from './datasets.ts';
