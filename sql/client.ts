import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
	createClient,
	type ClickHouseClient,
	type ClickHouseClientConfigOptions,
	type ClickHouseSettings
} from '@clickhouse/client';
import type { TenureConfig } from './config.ts';

/** One open ClickHouse, embedded or server, plus what callers need to know about it. */
export interface Db {
	client: ClickHouseClient;
	mode: 'embedded' | 'server';
	/** Cluster name when DDL must be emitted ON CLUSTER, else null. */
	cluster: string | null;
	timezone: string;
	dataDir: string;
	close(): Promise<void>;
}

export class DataDirLockedError extends Error {
	override name = 'DataDirLockedError';
}

const defaultSettings: ClickHouseSettings = {
	// A ClickHouse server quotes 64-bit integers in JSON; chDB does not. Ask both for numbers so rows
	// have one shape (counts here stay far below 2^53).
	output_format_json_quote_64bit_integers: 0,
	// Decimals as JSON numbers would lose cents above 2^53; as strings they are exact.
	output_format_json_quote_decimals: 1
};

/**
 * Opens the configured engine. Embedded chDB is imported lazily: libchdb must never load at module
 * top level (it crashes worker threads on exit, TOOLCHAIN.md #3).
 */
export async function openDb(config: TenureConfig): Promise<Db> {
	const ch = config.clickhouse;
	if (ch.mode === 'server') {
		const client = createClient({
			url: ch.url,
			username: ch.username,
			password: ch.password,
			database: ch.database,
			clickhouse_settings: defaultSettings,
			// Loads stream whole files; the default 30 s would cut a large one mid-way.
			request_timeout: 3_600_000
		});
		return {
			client,
			mode: 'server',
			cluster: ch.cluster,
			timezone: config.timezone,
			dataDir: config.dataDir,
			close: () => client.close()
		};
	}
	mkdirSync(ch.path, { recursive: true });
	const { createChdbConnection } = await import('chdb/connection');
	let connection;
	try {
		connection = createChdbConnection({ path: ch.path });
	} catch (e) {
		throw asLockedError(e, config) ?? e;
	}
	const client = createClient({
		// Two copies of client-common's types (chdb's and the client's): same shape, TOOLCHAIN.md #5.
		connection: connection as unknown as ClickHouseClientConfigOptions['connection'],
		clickhouse_settings: defaultSettings
	});
	try {
		await client.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then((r) => r.json());
	} catch (e) {
		await client.close().catch(() => undefined);
		throw asLockedError(e, config) ?? e;
	}
	return {
		client,
		mode: 'embedded',
		cluster: null,
		timezone: config.timezone,
		dataDir: config.dataDir,
		close: () => client.close()
	};
}

function asLockedError(e: unknown, config: TenureConfig): DataDirLockedError | null {
	const msg = e instanceof Error ? e.message : String(e);
	const holder = lockHolder(config);
	if (holder === null && !/Cannot lock file|already running/i.test(msg)) return null;
	return new DataDirLockedError(
		`The data directory ${config.dataDir} is in use by another Tenure process${holder ? ` (pid ${holder})` : ''}, usually the running portal: ` +
			`use the portal's admin page or API at http://localhost:${config.port}/admin, or stop the portal and run this command again.`
	);
}

/**
 * The pid holding the embedded engine's directory, if that process is alive. chDB reports a
 * locked directory only as "Failed to create connection" (the reason goes to native stderr), but
 * ClickHouse writes its pid into `status`, which it keeps locked while running.
 */
function lockHolder(config: TenureConfig): number | null {
	if (config.clickhouse.mode !== 'embedded') return null;
	try {
		const status = readFileSync(path.join(config.clickhouse.path, 'status'), 'utf8');
		const pid = Number(/PID:\s*(\d+)/.exec(status)?.[1]);
		if (!pid || pid === process.pid) return null;
		process.kill(pid, 0);
		return pid;
	} catch {
		return null;
	}
}
