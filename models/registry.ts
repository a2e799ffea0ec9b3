/**
 * The churn model registry: each trained model's artifacts as JSON files under
 * TENURE_DATA_DIR/models/<version>/ (weights and architecture, preprocessing, feature list,
 * metrics), its metadata in the churn_models table, and which version is current (promoted).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../sql/client.ts';
import { insertRows, loadQuery, queryRows } from '../sql/query.ts';

export class ModelError extends Error {
	override name = 'ModelError';
}

export type ModelStatus = 'trained' | 'promoted' | 'rejected' | 'retired';

/** A registry row (metadata; the artifacts are files). */
export interface ModelRecord {
	readonly version: string;
	readonly status: ModelStatus;
	readonly kind: string;
	readonly calibrated: boolean;
	readonly features: readonly string[];
	readonly windowFrom: string;
	readonly windowTo: string;
	readonly testAsOf: string;
	readonly trainRows: number;
	/** Test-set metrics: auc, pr_auc, brier, lift_10, precision_10, lift_20, precision_20. */
	readonly metrics: Readonly<Record<string, number>>;
	/** The health score's ROC AUC on the same test accounts. */
	readonly healthAuc: number | null;
	readonly codeVersion: string;
	readonly artifactDir: string;
	readonly message: string;
	readonly createdAt: string;
}

/** A new version id: sortable by time, unique. */
export function newVersion(now = new Date()): string {
	const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
	return `m${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

function checkVersion(version: string): string {
	if (!/^m\d{14}-[0-9a-f]{1,8}$/.test(version)) {
		throw new ModelError(`'${version}' is not a model version (tenure model list shows them).`);
	}
	return version;
}

export function artifactDir(db: Db, version: string): string {
	return path.join(db.dataDir, 'models', checkVersion(version));
}

/** Writes a model's artifacts (each a JSON document by name) and returns the folder. */
export function writeArtifacts(db: Db, version: string, files: Record<string, unknown>): string {
	const dir = artifactDir(db, version);
	mkdirSync(dir, { recursive: true });
	for (const [name, value] of Object.entries(files)) {
		writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(value));
	}
	return dir;
}

export function readArtifact<T>(db: Db, version: string, name: string): T {
	const file = path.join(artifactDir(db, version), `${name}.json`);
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch (e) {
		throw new ModelError(
			`The artifacts of model ${version} are missing or unreadable (${file}: ${(e as Error).message}). Train a new model with tenure train.`
		);
	}
}

export async function recordModel(
	db: Db,
	record: Omit<ModelRecord, 'createdAt'> & { createdAt?: Date | string }
): Promise<void> {
	const now = new Date();
	await insertRows(
		db,
		'churn_models',
		[
			{
				version: record.version,
				status: record.status,
				kind: record.kind,
				calibrated: record.calibrated ? 1 : 0,
				features: record.features,
				window_from: record.windowFrom,
				window_to: record.windowTo,
				test_as_of: record.testAsOf,
				train_rows: record.trainRows,
				metrics: record.metrics,
				health_auc: record.healthAuc,
				code_version: record.codeVersion,
				artifact_dir: record.artifactDir,
				message: record.message,
				created_at: record.createdAt ?? now,
				updated_at: now
			}
		],
		'models:record'
	);
}

type Raw = Record<string, unknown>;

function toRecord(r: Raw): ModelRecord {
	return {
		version: String(r.version),
		status: String(r.status) as ModelStatus,
		kind: String(r.kind),
		calibrated: Number(r.calibrated) === 1,
		features: (r.features as string[]) ?? [],
		windowFrom: String(r.window_from),
		windowTo: String(r.window_to),
		testAsOf: String(r.test_as_of),
		trainRows: Number(r.train_rows),
		metrics: Object.fromEntries(
			Object.entries((r.metrics as Raw) ?? {}).map(([k, v]) => [k, Number(v)])
		),
		healthAuc: r.health_auc === null || r.health_auc === undefined ? null : Number(r.health_auc),
		codeVersion: String(r.code_version),
		artifactDir: String(r.artifact_dir),
		message: String(r.message),
		createdAt: String(r.created_at)
	};
}

/** Every model, newest first. */
export async function listModels(db: Db): Promise<ModelRecord[]> {
	const rows = await queryRows<Raw>(db, loadQuery('churn-models'), {}, { tag: 'models:list' });
	return rows.map(toRecord);
}

export async function getModel(db: Db, version: string): Promise<ModelRecord> {
	const found = (await listModels(db)).find((m) => m.version === checkVersion(version));
	if (!found) {
		throw new ModelError(`There is no model ${version}: tenure model list shows the versions.`);
	}
	return found;
}

/** The promoted model (the one that scores), or null before the first promotion. */
export async function currentModel(db: Db): Promise<ModelRecord | null> {
	return (await listModels(db)).find((m) => m.status === 'promoted') ?? null;
}

/** Makes `version` the current model; the previous current one is retired. */
export async function promoteModel(db: Db, version: string, message: string): Promise<void> {
	const model = await getModel(db, version);
	const current = await currentModel(db);
	if (current && current.version !== version) {
		await recordModel(db, { ...current, status: 'retired', message: `replaced by ${version}` });
	}
	await recordModel(db, { ...model, status: 'promoted', message });
}
