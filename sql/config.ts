import path from 'node:path';
import { z } from 'zod';

/** Runtime configuration, read once from the environment and validated before anything starts. */
export interface TenureConfig {
	dataDir: string;
	clickhouse:
		| { mode: 'embedded'; path: string }
		| {
				mode: 'server';
				url: string;
				username: string;
				password: string;
				database: string;
				cluster: string | null;
		  };
	timezone: string;
	port: number;
	maxUploadBytes: number;
	jobs: boolean;
}

const envSchema = z.object({
	TENURE_DATA_DIR: z.string().min(1).default('./data'),
	CLICKHOUSE_URL: z.url({ protocol: /^https?$/ }).optional(),
	CLICKHOUSE_USER: z.string().default('default'),
	CLICKHOUSE_PASSWORD: z.string().default(''),
	CLICKHOUSE_DATABASE: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)')
		.default('tenure'),
	CLICKHOUSE_CLUSTER: z
		.string()
		.regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be a cluster name from remote_servers')
		.optional(),
	TENURE_TZ: z
		.string()
		.default('Asia/Shanghai')
		.refine(isTimeZone, 'is not an IANA time zone (e.g. Asia/Shanghai, UTC)'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	TENURE_MAX_UPLOAD_BYTES: z.coerce
		.number()
		.int()
		.positive()
		.default(4 * 1024 ** 3),
	TENURE_JOBS: z.enum(['on', 'off']).default('on')
});

function isTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Validates the environment; every problem is reported at once, by variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TenureConfig {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	if (e.CLICKHOUSE_CLUSTER && !e.CLICKHOUSE_URL) {
		throw new ConfigError(
			'Invalid configuration:\n  CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL (a cluster is only reachable through a server)'
		);
	}
	const dataDir = path.resolve(e.TENURE_DATA_DIR);
	return {
		dataDir,
		clickhouse: e.CLICKHOUSE_URL
			? {
					mode: 'server',
					url: e.CLICKHOUSE_URL,
					username: e.CLICKHOUSE_USER,
					password: e.CLICKHOUSE_PASSWORD,
					database: e.CLICKHOUSE_DATABASE,
					cluster: e.CLICKHOUSE_CLUSTER ?? null
				}
			: { mode: 'embedded', path: path.join(dataDir, 'clickhouse') },
		timezone: e.TENURE_TZ,
		port: e.PORT,
		maxUploadBytes: e.TENURE_MAX_UPLOAD_BYTES,
		jobs: e.TENURE_JOBS === 'on'
	};
}
