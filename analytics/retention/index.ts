/** Retention (METRICS.md, "Retention"): cohorts, CRR and churn rate, NRR and GRR. */
export {
	averageRetentionCurve,
	cohortCellAccounts,
	cohortRetention,
	retentionAtPeriod,
	type AverageCurveOptions,
	type CellAccount,
	type CellAccountsOptions,
	type CohortCell,
	type CohortOptions,
	type RetentionAtPeriod,
	type RetentionAtPeriodOptions,
	type RetentionCurvePoint
} from './cohorts.ts';
export {
	CRR_ACCOUNT_KINDS,
	crrAccounts,
	crrTrend,
	type CrrAccount,
	type CrrAccountKind,
	type CrrAccountsOptions,
	type CrrOptions,
	type CrrPoint
} from './crr.ts';
export { retentionStep } from './churn-events.ts';
export { RETENTION_DATASETS } from './datasets.ts';
export {
	NRR_ACCOUNT_KINDS,
	nrrGrr,
	nrrGrrAccounts,
	nrrGrrTrend,
	type NrrAccount,
	type NrrAccountKind,
	type NrrAccountsOptions,
	type NrrGrr,
	type NrrGrrAsOf,
	type NrrGrrMonth,
	type NrrTrendOptions
} from './nrr.ts';
export { COHORT_GRAINS, CRR_GRAINS, type CohortGrain, type CrrGrain } from './periods.ts';
export type { AccountPage, PageOptions, RetentionReadOptions } from './read.ts';
