import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './client.ts';
import { toClusterDdl } from './cluster.ts';
import { sqlPath } from './paths.ts';
import { command, queryRows } from './query.ts';

export interface Migration {
	version: number;
	name: string;
	checksum: string;
	statements: string[];
}

export class MigrationError extends Error {
	override name = 'MigrationError';
}

/**
 * Splits a migration file into statements at a `;` that ends a line's code: a `-- comment` may
 * follow it, and a comment's own `;` ends nothing (our SQL never has `;` or `--` in a string).
 */
export function splitStatements(sql: string): string[] {
	const statements: string[] = [];
	let lines: string[] = [];
	for (const line of sql.split('\n')) {
		const code = line.replace(/--.*$/, '').trimEnd();
		if (!code.endsWith(';')) {
			lines.push(line);
			continue;
		}
		lines.push(code.slice(0, -1));
		statements.push(lines.join('\n'));
		lines = [];
	}
	statements.push(lines.join('\n'));
	return statements
		.map((s) => s.trim())
		.filter((s) =>
			s.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--'))
		);
}

export function readMigrations(dir = sqlPath('migrations')): Migration[] {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort();
	const seen = new Map<number, string>();
	return files.map((file) => {
		const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
		if (!m) throw new MigrationError(`Migration file name ${file} must look like 0001_name.sql`);
		const version = Number(m[1]);
		const other = seen.get(version);
		if (other) {
			throw new MigrationError(
				`Migrations ${other} and ${file} share number ${m[1]}: renumber the newer one.`
			);
		}
		seen.set(version, file);
		const text = readFileSync(`${dir}/${file}`, 'utf8');
		return {
			version,
			name: file,
			checksum: createHash('sha256').update(text).digest('hex'),
			statements: splitStatements(text)
		};
	});
}

/** The statements to execute for one migration statement on this engine (cluster-aware). */
export function physicalStatements(db: Pick<Db, 'cluster'>, statement: string): string[] {
	return db.cluster ? toClusterDdl(statement, db.cluster) : [statement];
}

const ledger = `CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY version`;

export interface MigrateResult {
	applied: string[];
	current: number;
}

/**
 * Applies pending migrations in order and records each. An applied migration whose file changed
 * since is an error: released migrations are append-only.
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<MigrateResult> {
	for (const s of physicalStatements(db, ledger)) {
		await command(db, s, {}, { tag: 'migrate:ledger' });
	}
	const done = await queryRows<{ version: number; name: string; checksum: string }>(
		db,
		'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
		{},
		{ tag: 'migrate:list' }
	);
	const byVersion = new Map(done.map((d) => [Number(d.version), d]));
	for (const m of migrations) {
		const prior = byVersion.get(m.version);
		if (prior && prior.checksum !== m.checksum) {
			throw new MigrationError(
				`Migration ${m.name} was edited after it was applied (recorded checksum ${prior.checksum.slice(0, 12)}…, file now ${m.checksum.slice(0, 12)}…). ` +
					'Released migrations are never edited: restore the file and put the change in a new migration.'
			);
		}
	}
	const applied: string[] = [];
	for (const m of migrations) {
		if (byVersion.has(m.version)) continue;
		for (const statement of m.statements) {
			for (const s of physicalStatements(db, statement)) {
				await command(db, s, {}, { tag: `migrate:${m.name}` });
			}
		}
		await command(
			db,
			'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ({v:UInt32}, {n:String}, {c:String}, now64(3))',
			{ v: m.version, n: m.name, c: m.checksum },
			{ tag: 'migrate:record' }
		);
		applied.push(m.name);
	}
	const current = migrations.length ? Math.max(...migrations.map((m) => m.version)) : 0;
	return { applied, current };
}
