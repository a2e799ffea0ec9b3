import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../sql/client.ts';
import { loadConfig } from '../../sql/config.ts';
import { openAndMigrate } from '../../sql/open.ts';
import { queryRows } from '../../sql/query.ts';

/**
 * A real embedded ClickHouse (chDB) in a fresh temporary directory, migrated. chDB allows one data
 * directory per process, and vitest runs each test file in its own fork: open one per file
 * (beforeAll) and close it in afterAll. `existing` opens a directory another process wrote (the
 * kill -9 test); it is left in place for the caller to remove.
 */
export async function openTestDb(
	existing?: string
): Promise<{ db: Db; dir: string; cleanup: () => Promise<void> }> {
	const dir = existing ?? mkdtempSync(path.join(tmpdir(), 'tenure-test-'));
	const db = await openAndMigrate(loadConfig({ TENURE_DATA_DIR: dir, TENURE_TZ: 'Asia/Shanghai' }));
	return {
		db,
		dir,
		cleanup: async () => {
			await db.close();
			if (!existing) rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Rows of a test query (no parameters), tagged so they are easy to tell apart in query_log. */
export function rows<T = Record<string, unknown>>(db: Db, sql: string): Promise<T[]> {
	return queryRows<T>(db, sql, {}, { tag: 'test' });
}

/** A single count() (or other integer) from a test query: `SELECT … AS n`. */
export async function count(db: Db, sql: string): Promise<number> {
	const [row] = await rows<{ n: number | string }>(db, sql);
	return Number(row?.n);
}

/**
 * The same database with a hook run before every statement ingest sends (queries, DDL and INSERT …
 * SELECT; not the bookkeeping inserts of JS rows): lets a test stop a load at an exact step, change
 * what the next step sees, or record what was sent.
 */
export function withCommandHook(db: Db, hook: (query: string) => Promise<void> | void): Db {
	const client = new Proxy(db.client, {
		get(target, prop) {
			if (prop === 'command') {
				return async (params: Parameters<Db['client']['command']>[0]) => {
					await hook(params.query);
					return target.command(params);
				};
			}
			if (prop === 'query') {
				return async (params: Parameters<Db['client']['query']>[0]) => {
					await hook(params.query);
					return target.query(params);
				};
			}
			const value: unknown = Reflect.get(target, prop, target);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
	return { ...db, client };
}
