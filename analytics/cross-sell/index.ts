/** Cross-sell (METRICS.md, "Cross-sell"): per-account product affinity and suggestions. */
export {
	crossSellReference,
	isRule,
	productAffinity as productAffinityReference,
	type AffinityPair,
	type Suggestion,
	type SuggestionInput
} from './affinity.ts';
export { CROSS_SELL_DATASETS } from './datasets.ts';
export {
	crossSellSuggestions,
	productAffinity,
	type CrossSellOptions,
	type CrossSellRow,
	type ProductAffinityOptions
} from './read.ts';
export { CROSS_SELL_TOP, crossSellStep } from './step.ts';
