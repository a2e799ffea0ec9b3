import { ConfigError, loadConfig, type TenureConfig } from '../sql/config.ts';
import { DataDirLockedError, type Db } from '../sql/client.ts';
import { MigrationError } from '../sql/migrate.ts';
import { openAndMigrate } from '../sql/open.ts';
import { recoverRuns } from '../ingest/load.ts';
import { IngestError } from '../ingest/errors.ts';
import { SettingError } from '../analytics/config.ts';
import { LtvError } from '../analytics/ltv/inputs.ts';
import { AnalyticsError } from '../analytics/errors.ts';
import { FilterError } from '../analytics/scope.ts';
import { ModelError } from '../models/registry.ts';

/** Errors the user can act on: printed as one message, no stack trace. */
const USER_ERRORS = [
	ConfigError,
	DataDirLockedError,
	MigrationError,
	IngestError,
	SettingError,
	LtvError,
	AnalyticsError,
	FilterError,
	ModelError
];

export function fail(message: string, code = 2): never {
	process.stderr.write(`tenure: ${message}\n`);
	process.exit(code);
}

/** Runs a command body with an open, migrated, recovered database, and closes it after. */
export async function withDb<T>(body: (db: Db, config: TenureConfig) => Promise<T>): Promise<T> {
	let config: TenureConfig;
	let db: Db;
	try {
		config = loadConfig();
		db = await openAndMigrate(config);
		await recoverRuns(db);
	} catch (e) {
		return handle(e);
	}
	try {
		return await body(db, config);
	} catch (e) {
		return handle(e);
	} finally {
		await db.close();
	}
}

export function handle(e: unknown): never {
	if (USER_ERRORS.some((cls) => e instanceof cls)) fail((e as Error).message);
	throw e;
}
