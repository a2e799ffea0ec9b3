import { openDb, type Db } from './client.ts';
import type { TenureConfig } from './config.ts';
import { migrate } from './migrate.ts';

/**
 * Opens the engine and brings its schema up to date: what every entry point (portal, CLI, tests)
 * does first. Ingest recovery is run by the callers that own jobs.
 */
export async function openAndMigrate(config: TenureConfig): Promise<Db> {
	const db = await openDb(config);
	try {
		await migrate(db);
	} catch (e) {
		await db.close();
		throw e;
	}
	return db;
}
