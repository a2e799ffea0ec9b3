/** Customer lifetime value: BG/NBD purchase counts, Gamma-Gamma spend and their product. */
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
export { predictedLtv, type LtvCustomer, type PredictedLtvInput } from './predicted-ltv.ts';
