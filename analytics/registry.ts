/**
 * Every dataset under its stable name: what `tenure export --list` prints and what the
 * benchmarks and the portal's "download" links read. Names never change once released. The churn
 * model's datasets (models/datasets.ts) join them in cli/export.ts: analytics may not import models.
 */
import type { Dataset } from './datasets.ts';
import { ACCOUNT_DATASETS } from './accounts.ts';
import { ALERT_DATASETS } from './alerts/index.ts';
import { CROSS_SELL_DATASETS } from './cross-sell/index.ts';
import { HEALTH_DATASETS } from './health/index.ts';
import { KPI_DATASETS } from './kpis.ts';
import { LTV_DATASETS } from './ltv/export.ts';
import { RETENTION_DATASETS } from './retention/index.ts';
import { SEGMENT_DATASETS } from './segments/datasets.ts';
import { VOC_DATASETS } from './voc/datasets.ts';

export const DATASETS: readonly Dataset[] = [
	...KPI_DATASETS,
	...ACCOUNT_DATASETS,
	...RETENTION_DATASETS,
	...SEGMENT_DATASETS,
	...VOC_DATASETS,
	...HEALTH_DATASETS,
	...ALERT_DATASETS,
	...CROSS_SELL_DATASETS,
	...LTV_DATASETS
];
