import type { Db } from '../../sql/client.ts';
import { loadFile } from '../../ingest/load.ts';
import { csv, type fixtureDir } from './files.ts';

/**
 * Loads accounts (id, name; created 2024-01-01) through the real ingest path, so tests of other
 * entities have accounts to reference. Throws if the load fails: a broken set-up must not pass
 * as a test result.
 */
export async function seedAccounts(
	db: Db,
	files: ReturnType<typeof fixtureDir>,
	accounts: readonly (readonly [id: string, name: string])[]
): Promise<void> {
	const file = files.write(
		'accounts.csv',
		csv([
			['account_id', 'name', 'created_at'],
			...accounts.map(([id, name]) => [id, name, '2024-01-01'])
		])
	);
	const r = await loadFile(db, { entity: 'accounts', file });
	if (r.status !== 'succeeded') throw new Error(`seeding accounts failed: ${r.error}`);
}
