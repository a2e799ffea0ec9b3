/**
 * The churn model's datasets for `tenure export`: churn-scores, model-card and churn-features.
 */
import type { Dataset } from '../analytics/datasets.ts';
import { checkPage, type Raw } from '../analytics/read.ts';
import { requireRefresh } from '../analytics/refresh/state.ts';
import { accountFilterParams } from '../analytics/scope.ts';
import type { Db } from '../sql/client.ts';
import { loadQuery, queryRows } from '../sql/query.ts';
import { driverSentence } from './explain.ts';
import { currentModel, listModels, readArtifact, ModelError } from './registry.ts';
import { CHURN_FEATURE_DATASETS } from './training-set.ts';

export interface ChurnScoreRow {
	readonly accountId: string;
	readonly name: string;
	readonly ownerEmail: string;
	readonly modelVersion: string;
	readonly probability: number;
	readonly drivers: {
		readonly feature: string;
		readonly value: number;
		readonly typical: number;
		readonly contribution: number;
		readonly en: string;
		readonly zh: string;
	}[];
}

/** One page of churn scores of the latest refresh's date (or asOf), highest first. */
export async function churnScores(
	db: Db,
	options: Parameters<Dataset['run']>[1] & { limit?: number; offset?: number }
): Promise<{ asOf: string; rows: ChurnScoreRow[] }> {
	const ref = await requireRefresh(db, options.asOf);
	const { limit, offset } = checkPage(options.limit, options.offset);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('churn-scores-page'),
		{
			as_of: ref.asOf,
			refresh_id: ref.refreshId,
			...accountFilterParams(options.filters, options.scope),
			limit,
			offset
		},
		{ tag: 'models:scores' }
	);
	return {
		asOf: ref.asOf,
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			name: String(r.name),
			ownerEmail: String(r.owner_email),
			modelVersion: String(r.model_version),
			probability: Number(r.probability),
			drivers: ((r.drivers as unknown[]) ?? []).map((d) => {
				// A named tuple arrives as an object; keep positions working too.
				const t = Array.isArray(d)
					? d
					: [(d as Raw).feature, (d as Raw).value, (d as Raw).typical, (d as Raw).contribution];
				const [feature, value, typical, contribution] = [
					String(t[0]),
					Number(t[1]),
					Number(t[2]),
					Number(t[3])
				];
				return {
					feature,
					value,
					typical,
					contribution,
					en: driverSentence(feature, value, typical, 'en'),
					zh: driverSentence(feature, value, typical, 'zh')
				};
			})
		}))
	};
}

const PAGE = 100_000;

export const MODEL_DATASETS: readonly Dataset[] = [
	{
		name: 'churn-scores',
		description:
			'Churn probability within 90 days per active account (latest scoring of the refresh date), with the top three drivers as sentences in English and Chinese.',
		columns: [
			'as_of',
			'account_id',
			'name',
			'owner_email',
			'model_version',
			'probability',
			'driver_1_en',
			'driver_2_en',
			'driver_3_en',
			'driver_1_zh',
			'driver_2_zh',
			'driver_3_zh'
		],
		async *run(db, opts) {
			for (let offset = 0; ; offset += PAGE) {
				const page = await churnScores(db, { ...opts, limit: PAGE, offset });
				yield page.rows.map((r) => ({
					as_of: page.asOf,
					account_id: r.accountId,
					name: r.name,
					owner_email: r.ownerEmail,
					model_version: r.modelVersion,
					probability: r.probability,
					driver_1_en: r.drivers[0]?.en ?? null,
					driver_2_en: r.drivers[1]?.en ?? null,
					driver_3_en: r.drivers[2]?.en ?? null,
					driver_1_zh: r.drivers[0]?.zh ?? null,
					driver_2_zh: r.drivers[1]?.zh ?? null,
					driver_3_zh: r.drivers[2]?.zh ?? null
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	},
	{
		name: 'model-card',
		description:
			'The current churn model: kind, training window, test-set metrics (ROC AUC, PR AUC, Brier, calibration, lift and precision at 10 %/20 %) and the health score’s AUC on the same accounts. Best read with --format json.',
		columns: ['version', 'status', 'kind', 'calibrated', 'window', 'metrics', 'health_auc', 'card'],
		async *run(db) {
			const model = await currentModel(db);
			if (!model) {
				const any = (await listModels(db)).length;
				throw new ModelError(
					any
						? 'No churn model is promoted: tenure model list shows the trained ones, tenure model promote <version> promotes one.'
						: 'No churn model has been trained yet: run tenure train.'
				);
			}
			yield [
				{
					version: model.version,
					status: model.status,
					kind: model.kind,
					calibrated: model.calibrated,
					window: readArtifact(db, model.version, 'window'),
					metrics: readArtifact(db, model.version, 'metrics'),
					health_auc: model.healthAuc,
					card: readArtifact(db, model.version, 'card')
				}
			];
		}
	},
	...CHURN_FEATURE_DATASETS
];
