/**
 * Every dataset under its stable name: what `tenure export --list` prints and what the
 * benchmarks and the portal's "download" links read. Names never change once released.
 */
import type { Dataset } from './datasets.ts';
import { ACCOUNT_DATASETS } from './accounts.ts';
import { LTV_DATASETS } from './ltv/export.ts';

export const DATASETS: readonly Dataset[] = [...ACCOUNT_DATASETS, ...LTV_DATASETS];

export function findDataset(name: string): Dataset | undefined {
	return DATASETS.find((d) => d.name === name);
}
