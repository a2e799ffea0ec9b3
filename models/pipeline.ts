/**
 * Training and scoring end to end: `tenure train` builds the point-in-time training set, fits
 * the preprocessing on the training snapshots, trains the logistic baseline and the MLP, evaluates
 * the candidate on the newest fully labelled snapshot next to the health score on the same
 * accounts, records it in the registry and promotes it only when it beats the current model on
 * that test set. `tenure score` scores every active account with the current model, with its top
 * three drivers, and reports feature drift against the training data.
 */
import type { Db } from '../sql/client.ts';
import { command, insertRows, insertTsv, tsvField } from '../sql/query.ts';
import { tenantSettings } from '../analytics/config.ts';
import { healthBacktest } from '../analytics/health/backtest.ts';
import { defaultAsOf } from '../analytics/ltv/inputs.ts';
import { findRefresh } from '../analytics/refresh/state.ts';
import { driversBatch } from './drivers.ts';
import { driftReport, type FeatureDrift } from './drift.ts';
import { computeFeatures, FEATURES, type FeatureColumns } from './features.ts';
import { evaluate, type Evaluation } from './metrics.ts';
import { fitPreprocessor, transform, typicalValues, type Preprocessor } from './preprocess.ts';
import {
	artifactDir,
	currentModel,
	ModelError,
	newVersion,
	promoteModel,
	readArtifact,
	recordModel,
	writeArtifacts,
	type ModelRecord
} from './registry.ts';
import { initTf } from './tf.ts';
import { TrainedModel, trainChurnModels, type ModelJSON, type ValidationMetrics } from './train.ts';
import { buildTrainingSet, type TrainingSet } from './training-set.ts';

/** Rows of the training data kept with a model for drift checks (a uniform sample). */
const DRIFT_SAMPLE = 20_000;
/** The code version recorded with a model. */
const CODE_VERSION = 'tenure-churn-1';

export interface TrainOptions {
	readonly asOfDates?: readonly string[];
	readonly horizonDays?: number;
	readonly seed?: number;
	readonly log?: (line: string) => void;
}

export interface TrainReport {
	readonly version: string;
	readonly kind: 'logistic' | 'mlp';
	readonly calibrated: boolean;
	readonly backend: string;
	readonly dates: TrainingSet['dates'];
	readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
	readonly validation: { readonly logistic: ValidationMetrics; readonly mlp: ValidationMetrics };
	/** Test-set metrics of the candidate and of the logistic baseline. */
	readonly test: Evaluation;
	readonly baselineTest: Evaluation;
	/** The health score's ROC AUC on the accounts of the test snapshot. */
	readonly healthAuc: number | null;
	/** The current model's AUC on the same test set, when there is one. */
	readonly currentAuc: number | null;
	readonly promoted: boolean;
	readonly decision: string;
	readonly seconds: number;
}

function rowsOf(set: TrainingSet, split: 'train' | 'validation' | 'test'): number[] {
	const out: number[] = [];
	set.split.forEach((s, i) => {
		if (s === split) out.push(i);
	});
	return out;
}

function sampleRows(rows: readonly number[], n: number): number[] {
	if (rows.length <= n) return [...rows];
	const step = rows.length / n;
	return Array.from({ length: n }, (_, i) => rows[Math.floor(i * step)]!);
}

function pickColumns(columns: FeatureColumns, rows: readonly number[]): Record<string, unknown[]> {
	return Object.fromEntries(
		Object.entries(columns).map(([name, values]) => [name, rows.map((r) => values[r] ?? null)])
	);
}

function predictRows(
	model: TrainedModel,
	pre: Preprocessor,
	columns: FeatureColumns,
	rows: readonly number[]
) {
	return model.predict(transform(pre, columns, rows).matrix);
}

export async function trainChurn(db: Db, options: TrainOptions = {}): Promise<TrainReport> {
	const t0 = performance.now();
	const log = options.log ?? (() => undefined);
	const backend = await initTf();
	const settings = await tenantSettings(db);
	const horizonDays = options.horizonDays ?? 90;
	log('Building the training set (point-in-time snapshots)');
	const set = await buildTrainingSet(db, {
		asOfDates: options.asOfDates,
		horizonDays,
		settings,
		log
	});
	const train = rowsOf(set, 'train');
	const validation = rowsOf(set, 'validation');
	const test = rowsOf(set, 'test');
	const y = Float32Array.from(set.rows, (r) => r.label);
	const churned = (rows: number[]) => rows.reduce((s, r) => s + y[r]!, 0);
	for (const [name, rows] of [
		['training', train],
		['validation', validation],
		['test', test]
	] as const) {
		const c = churned(rows);
		if (!rows.length || c === 0 || c === rows.length) {
			throw new ModelError(
				`The ${name} snapshots have ${rows.length} accounts of which ${c} churned: a churn model needs both outcomes in each. Load more history (at least a few months more than the 90-day horizon) or wait for more data.`
			);
		}
	}
	log(
		`  ${set.dates.length} snapshots, ${train.length.toLocaleString('en-US')} training / ${validation.length.toLocaleString('en-US')} validation / ${test.length.toLocaleString('en-US')} test rows`
	);

	const pre = fitPreprocessor(
		FEATURES.map((f) => ({ name: f.name, kind: f.kind })),
		set.features,
		train
	);
	const X = transform(pre, set.features);
	log(`Training the logistic baseline and the MLP (${backend.name} backend)`);
	const tTrain = performance.now();
	const result = await trainChurnModels({
		X,
		y,
		split: { train, validation },
		seed: options.seed ?? 42
	});
	const passes = (v: ValidationMetrics) => `${v.epochs} epochs (best ${v.bestEpoch})`;
	log(
		`  logistic ${passes(result.validation.logistic)}, MLP ${passes(result.validation.mlp)}: ${((performance.now() - tTrain) / 1000).toFixed(1)} s`
	);
	const tEval = performance.now();
	const model = result.models[result.candidate];
	const yTest = test.map((r) => y[r]!);
	const testEval = evaluate(predictRows(model, pre, set.features, test), yTest);
	const baselineTest = evaluate(
		predictRows(result.models.logistic, pre, set.features, test),
		yTest
	);
	const testAsOf = set.dates.filter((d) => d.split === 'test').at(-1)!.asOf;
	const health = await healthBacktest(db, { asOfDates: [testAsOf], horizonDays }).catch(() => null);
	const healthAuc = health?.dates[0]?.auc ?? null;

	const current = await currentModel(db);
	let currentAuc: number | null = null;
	if (current) {
		const currentPre = readArtifact<Preprocessor>(db, current.version, 'preprocessor');
		const currentModelJson = readArtifact<ModelJSON>(db, current.version, 'model');
		currentAuc = evaluate(
			predictRows(TrainedModel.fromJSON(currentModelJson), currentPre, set.features, test),
			yTest
		).rocAuc;
	}
	log(
		`Evaluated on the test snapshot next to the health score and the current model: ${((performance.now() - tEval) / 1000).toFixed(1)} s`
	);
	const auc = testEval.rocAuc ?? 0;
	const promoted = current === null || currentAuc === null || auc > currentAuc;
	const decision = current
		? promoted
			? `promoted: test AUC ${auc.toFixed(4)} beats the current model ${current.version}'s ${currentAuc?.toFixed(4)} on the same test set`
			: `kept ${current.version}: its test AUC ${currentAuc?.toFixed(4)} is at least this model's ${auc.toFixed(4)} on the same test set`
		: `promoted: the first model (test AUC ${auc.toFixed(4)})`;

	const version = newVersion();
	const dates = set.dates.filter((d) => d.split === 'train');
	const metrics = {
		auc,
		pr_auc: testEval.prAuc ?? 0,
		brier: testEval.brier ?? 0,
		lift_10: testEval.top10.lift ?? 0,
		precision_10: testEval.top10.precision ?? 0,
		lift_20: testEval.top20.lift ?? 0,
		precision_20: testEval.top20.precision ?? 0,
		baseline_auc: baselineTest.rocAuc ?? 0
	};
	const record: Omit<ModelRecord, 'createdAt'> = {
		version,
		status: 'trained',
		kind: result.candidate,
		calibrated: result.validation[result.candidate].calibrated,
		features: FEATURES.map((f) => f.name),
		windowFrom: dates[0]?.asOf ?? testAsOf,
		windowTo: dates.at(-1)?.asOf ?? testAsOf,
		testAsOf,
		trainRows: train.length,
		metrics,
		healthAuc,
		codeVersion: CODE_VERSION,
		artifactDir: artifactDir(db, version),
		message: decision
	};
	writeArtifacts(db, version, {
		model: model.toJSON(),
		preprocessor: pre,
		features: FEATURES.map((f) => ({ name: f.name, kind: f.kind, description: f.description })),
		metrics: {
			test: testEval,
			baselineTest,
			validation: result.validation,
			healthAuc,
			currentAuc
		},
		window: { dates: set.dates, horizonDays },
		'drift-sample': pickColumns(set.features, sampleRows(train, DRIFT_SAMPLE)),
		card: { ...record, decision }
	});
	await recordModel(db, { ...record, status: promoted ? 'trained' : 'rejected' });
	if (promoted) await promoteModel(db, version, decision);
	log(`  ${decision}`);
	return {
		version,
		kind: result.candidate,
		calibrated: record.calibrated,
		backend: backend.name,
		dates: set.dates,
		rows: { train: train.length, validation: validation.length, test: test.length },
		validation: result.validation,
		test: testEval,
		baselineTest,
		healthAuc,
		currentAuc,
		promoted,
		decision,
		seconds: (performance.now() - t0) / 1000
	};
}

export interface ScoreReport {
	readonly asOf: string;
	readonly version: string;
	readonly accounts: number;
	readonly drift: FeatureDrift[];
	readonly seconds: number;
}

/** Driver tuples as ClickHouse text: [('feature',value,typical,contribution),…]. */
function driversText(
	drivers: { feature: string; value: number; typical: number; contribution: number }[]
): string {
	const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
	const num = (v: number) => (Number.isFinite(v) ? String(v) : 'nan');
	return `[${drivers.map((d) => `(${quote(d.feature)},${num(d.value)},${num(d.typical)},${num(d.contribution)})`).join(',')}]`;
}

/** Numeric value of a raw feature for storage (a category is stored as 1: "in it"). */
const stored = (v: unknown): number =>
	typeof v === 'number' ? v : v === null || v === undefined ? Number.NaN : 1;

export async function scoreChurn(
	db: Db,
	options: { asOf?: string; log?: (line: string) => void } = {}
): Promise<ScoreReport> {
	const t0 = performance.now();
	const log = options.log ?? (() => undefined);
	await initTf();
	const model = await currentModel(db);
	if (!model) {
		throw new ModelError('No churn model has been promoted yet: run tenure train first.');
	}
	const asOf =
		options.asOf ??
		(await findRefresh(db))?.asOf ??
		(await defaultAsOf(db, db.timezone)) ??
		new Date().toISOString().slice(0, 10);
	const pre = readArtifact<Preprocessor>(db, model.version, 'preprocessor');
	const trained = TrainedModel.fromJSON(readArtifact<ModelJSON>(db, model.version, 'model'));
	log(`Scoring the active accounts as of ${asOf} with model ${model.version}`);
	const fm = await computeFeatures(db, { asOf });
	const typical = typicalValues(pre);
	const batch = driversBatch(trained, pre, fm.columns, undefined, { k: 3, typical });
	const scoredAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
	const lines: string[] = [];
	const batches: string[][] = [];
	for (let i = 0; i < fm.accountIds.length; i++) {
		const drivers: { feature: string; value: number; typical: number; contribution: number }[] = [];
		for (let j = 0; j < batch.k; j++) {
			const fi = batch.feature[i * batch.k + j]!;
			if (fi < 0) break;
			const f = pre.features[fi]!;
			const raw = fm.columns[f.name as keyof FeatureColumns]?.[i];
			drivers.push({
				// A category goes with its level ("segment=smb"): the value column is numeric.
				feature: f.kind === 'categorical' ? `${f.name}=${raw ?? ''}` : f.name,
				value: stored(raw),
				typical: typeof typical[f.name] === 'number' ? (typical[f.name] as number) : 1,
				contribution: batch.contribution[i * batch.k + j]!
			});
		}
		lines.push(
			[
				asOf,
				tsvField(fm.accountIds[i]!),
				model.version,
				tsvField(batch.probability[i]!),
				tsvField(driversText(drivers)),
				scoredAt
			].join('\t')
		);
		if (lines.length === 100_000) batches.push(lines.splice(0));
	}
	if (lines.length) batches.push(lines.splice(0));
	await insertTsv(
		db,
		'churn_scores',
		['as_of', 'account_id', 'model_version', 'probability', 'drivers', 'scored_at'],
		batches,
		'models:scores'
	);
	// Readers take the date's latest recorded run (sql/fragments/churn-scores-current.sql): the
	// new scores become visible here, at once, and the older runs of the date then go.
	await insertRows(
		db,
		'churn_score_runs',
		[
			{
				as_of: asOf,
				scored_at: scoredAt,
				model_version: model.version,
				accounts: fm.accountIds.length,
				finished_at: new Date()
			}
		],
		'models:score-run'
	);
	await command(
		db,
		"DELETE FROM churn_scores WHERE as_of = {as_of:Date} AND scored_at < {scored_at:DateTime64(3, 'UTC')}",
		{ as_of: asOf, scored_at: scoredAt },
		{ tag: 'models:scores-superseded' }
	);
	const sample = readArtifact<Record<string, unknown[]>>(db, model.version, 'drift-sample');
	const drift = driftReport(
		pre,
		sample as Parameters<typeof driftReport>[1],
		fm.columns as Parameters<typeof driftReport>[2]
	);
	for (const d of drift.filter((x) => x.flag === 'large')) {
		log(`  drift: ${d.feature} PSI ${d.psi.toFixed(2)} (large) since training`);
	}
	return {
		asOf,
		version: model.version,
		accounts: fm.accountIds.length,
		drift,
		seconds: (performance.now() - t0) / 1000
	};
}
