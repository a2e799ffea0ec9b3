import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { MigrationError, readMigrations, splitStatements } from '../../sql/migrate.ts';

describe('splitStatements', () => {
	test('splits at a semicolon that ends a line and drops comment-only pieces', () => {
		const sql = [
			'-- header comment',
			'CREATE TABLE a (x String) ENGINE = MergeTree ORDER BY x;',
			'',
			'-- only a comment between statements',
			';',
			"CREATE TABLE b (s String DEFAULT 'a;b') ENGINE = MergeTree ORDER BY s;   ",
			'SELECT 1; SELECT 2',
			'ALTER TABLE a ADD COLUMN y UInt8'
		].join('\n');
		expect(splitStatements(sql)).toEqual([
			'-- header comment\nCREATE TABLE a (x String) ENGINE = MergeTree ORDER BY x',
			"CREATE TABLE b (s String DEFAULT 'a;b') ENGINE = MergeTree ORDER BY s",
			'SELECT 1; SELECT 2\nALTER TABLE a ADD COLUMN y UInt8'
		]);
	});

	test('a semicolon inside a comment ends nothing; one before a comment does', () => {
		const sql = [
			'CREATE TABLE c',
			'(',
			'    id String, -- the natural key; never empty',
			'    n  UInt8   -- see 0001;',
			')',
			'ENGINE = MergeTree ORDER BY id; -- done',
			'SELECT 1;'
		].join('\n');
		expect(splitStatements(sql)).toEqual([
			'CREATE TABLE c\n(\n    id String, -- the natural key; never empty\n    n  UInt8   -- see 0001;\n)\nENGINE = MergeTree ORDER BY id',
			'SELECT 1'
		]);
	});

	test('handles Windows line ends and an empty file', () => {
		expect(splitStatements('SELECT 1;\r\nSELECT 2;\r\n')).toEqual(['SELECT 1', 'SELECT 2']);
		expect(splitStatements('')).toEqual([]);
		expect(splitStatements('-- nothing here\n')).toEqual([]);
	});
});

describe('readMigrations', () => {
	let dir = '';
	const folder = (files: Record<string, string>) => {
		dir = mkdtempSync(path.join(tmpdir(), 'tenure-migrations-'));
		for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
		return dir;
	};
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	test('reads numbered files in order, with statements and a checksum of the text', () => {
		const d = folder({
			'0002_second.sql': 'CREATE TABLE b (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
			'0001_first.sql':
				'CREATE TABLE a (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE c (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
			'README.md': 'not a migration'
		});
		const ms = readMigrations(d);
		expect(ms.map((m) => [m.version, m.name, m.statements.length])).toEqual([
			[1, '0001_first.sql', 2],
			[2, '0002_second.sql', 1]
		]);
		// sha256 of the file's bytes: one changed byte changes it.
		expect(ms[1]!.checksum).toMatch(/^[0-9a-f]{64}$/);
		writeFileSync(
			path.join(d, '0002_second.sql'),
			'CREATE TABLE b (x UInt8) ENGINE = MergeTree ORDER BY x;\n '
		);
		expect(readMigrations(d)[1]!.checksum).not.toBe(ms[1]!.checksum);
		expect(readMigrations(d)[0]!.checksum).toBe(ms[0]!.checksum);
	});

	test.each(['1_init.sql', '0001-init.sql', '0001_Init.sql', '00001_init.sql'])(
		'refuses the file name %s',
		(name) => {
			const d = folder({ [name]: 'SELECT 1;' });
			expect(() => readMigrations(d)).toThrow(MigrationError);
			expect(() => readMigrations(d)).toThrow(
				`Migration file name ${name} must look like 0001_name.sql`
			);
		}
	);

	test('refuses two files with one number, naming both', () => {
		const d = folder({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 2;' });
		expect(() => readMigrations(d)).toThrow(
			'Migrations 0001_a.sql and 0001_b.sql share number 0001: renumber the newer one.'
		);
	});
});
