import { loadConfig, type TenureConfig } from '../../../sql/config.ts';
import type { Db } from '../../../sql/client.ts';
import { openAndMigrate } from '../../../sql/open.ts';

// chDB allows one open data directory per process (TOOLCHAIN.md #4), so every request shares one
// client. It is opened on first use, never at import: `vite build` imports this module in a worker
// thread, where loading libchdb would crash the build (TOOLCHAIN.md #3).

let config: TenureConfig | null = null;
let opening: Promise<Db> | null = null;

export function getConfig(): TenureConfig {
	config ??= loadConfig();
	return config;
}

/** The process's database, opened and migrated on first call. A failed open is retried next call. */
export function getDb(): Promise<Db> {
	opening ??= openAndMigrate(getConfig()).catch((e: unknown) => {
		opening = null;
		throw e;
	});
	return opening;
}

/** Closes the database at shutdown; a later getDb() would open it again. */
export async function closeDb(): Promise<void> {
	const pending = opening;
	opening = null;
	if (pending) await (await pending.catch(() => null))?.close();
}
