/** Customer lifetime value: BG/NBD purchase counts, Gamma-Gamma spend and their product. */
export {
	bgnbdDayLogLikelihood,
	fitBgnbdAtScale,
	fitGammaGammaAtScale,
	gammaGammaLogLikelihoodWithGradient,
	type AtScaleFitOptions,
	type BgnbdDayData
} from './at-scale.ts';
export {
	bgnbdLogLikelihood,
	expectedTransactions,
	expectedTransactionsNew,
	fitBgnbd,
	probabilityAlive,
	probabilityOfNTransactions,
	type BgnbdData,
	type BgnbdFit,
	type BgnbdFitOptions,
	type BgnbdLogLikelihood,
	type BgnbdParams
} from './bgnbd.ts';
export {
	summarizeCalibration,
	type CalibrationSummary,
	type CalibrationSummaryOptions,
	type Purchase
} from './calibration-summary.ts';
export {
	expectedAverageValue,
	fitGammaGamma,
	gammaGammaLogLikelihood,
	type GammaGammaFit,
	type GammaGammaFitOptions,
	type GammaGammaParams
} from './gamma-gamma.ts';
export {
	discountedExpectedTransactions,
	predictedLtv,
	type LtvCustomer,
	type PredictedLtvInput
} from './predicted-ltv.ts';
export { scoreCustomers, type ScoreInput, type ScoreOptions, type Scores } from './score.ts';
export {
	trackingCurve,
	type CumulativeComparison,
	type TrackingCurve,
	type TrackingDays,
	type TrackingWeek
} from './tracking.ts';

// Over the database (sql/): the refresh, the holdout check and the portal's read models.
export {
	latestLtvRefresh,
	ltvByAccount,
	ltvDistribution,
	ltvFits,
	LTV_GROUPS,
	LTV_MEASURES,
	LTV_SORTS,
	type LtvAccountFilters,
	type LtvAccountRow,
	type LtvByAccountOptions,
	type LtvDistributionOptions,
	type LtvDistributionRow,
	type LtvFitRow,
	type LtvGroup,
	type LtvMeasure,
	type LtvRefresh,
	type LtvScope,
	type LtvSort
} from './datasets.ts';
export {
	holdoutCheck,
	type HoldoutBucket,
	type HoldoutComparison,
	type HoldoutOptions,
	type HoldoutReport
} from './holdout.ts';
export { LtvError, MIN_REPEAT_CUSTOMERS } from './inputs.ts';
export {
	computeLtv,
	CONTRACTUAL_CAP_MONTHS,
	HORIZONS_WEEKS,
	type ComputeLtvOptions,
	type FitReport,
	type LtvRefreshResult
} from './refresh.ts';
export type { FitStatus } from './tenant-fit.ts';
