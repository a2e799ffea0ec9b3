/**
 * One step of bench:ingest, run in its own process so that its peak memory (maxRSS, the embedded
 * engine included) is its own: RSS rarely shrinks, so steps sharing a process would inherit each
 * other's peaks. Prints one JSON line: { rows, seconds, maxRssMb, ... }.
 *
 * usage: node bin/run.mjs bench/ingest-step.ts <dataDir> <step> [args…]
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadFile, type LoadResult } from '../ingest/load.ts';
import type { MappingFile } from '../ingest/mapping.ts';
import { sqlString } from '../ingest/source.ts';
import type { Db } from '../sql/client.ts';
import { loadConfig } from '../sql/config.ts';
import { openAndMigrate } from '../sql/open.ts';
import { command, queryOne } from '../sql/query.ts';
import { BOUNDED_MEMORY } from '../sql/settings.ts';

const [dataDir, step, ...args] = process.argv.slice(2);
if (!dataDir || !step) throw new Error('usage: ingest-step.ts <dataDir> <step> [args…]');

const LINE_COLUMNS = 'order_id, line_no, sku, quantity, unit_price, net_amount';

function ok(r: LoadResult): LoadResult {
	if (r.status !== 'succeeded') throw new Error(`${r.entity} ← ${r.file}: ${r.error}`);
	return r;
}

async function count(db: Db, table: string): Promise<number> {
	const r = await queryOne<{ n: number }>(
		db,
		`SELECT count() AS n FROM ${table}`,
		{},
		{ tag: 'bench' }
	);
	return Number(r?.n ?? 0);
}

const steps: Record<string, (db: Db) => Promise<Record<string, unknown>>> = {
	/** Loads files of one entity through tenure's path. args: entity, mapping|-, files… */
	async tenure(db) {
		const [entity, mappingFile, ...files] = args;
		const mapping =
			mappingFile && mappingFile !== '-'
				? (JSON.parse(readFileSync(mappingFile, 'utf8')) as MappingFile)
				: undefined;
		let rows = 0;
		let rejected = 0;
		let unchanged = 0;
		for (const file of files) {
			const r = ok(await loadFile(db, { entity: entity!, file, mapping }));
			rows += r.rowsRead;
			rejected += r.rowsRejected;
			unchanged += r.rowsUnchanged;
		}
		return { rows, rejected, unchanged };
	},
	/** The physical reference: INSERT … SELECT * FROM file() into an order_lines-shaped table. */
	async bare(db) {
		const [format, ...files] = args;
		await command(db, 'DROP TABLE IF EXISTS bare_lines', {}, { tag: 'bench' });
		await command(db, 'CREATE TABLE bare_lines AS order_lines', {}, { tag: 'bench' });
		for (const file of files) {
			await command(
				db,
				`INSERT INTO bare_lines (${LINE_COLUMNS}) SELECT * FROM file(${sqlString(file)}, '${format}')`,
				{},
				{ tag: 'bench', settings: BOUNDED_MEMORY }
			);
		}
		const rows = await count(db, 'bare_lines');
		await command(db, 'DROP TABLE bare_lines', {}, { tag: 'bench' });
		return { rows };
	},
	async truncate(db) {
		for (const t of args) await command(db, `TRUNCATE TABLE ${t}`, {}, { tag: 'bench' });
		return {};
	},
	/** Writes the order-line CSVs as one Parquet file (once). args: out, csv files… */
	async 'to-parquet'(db) {
		const [out, ...files] = args;
		if (!existsSync(out!)) {
			const list = files.map((f) => `SELECT * FROM file(${sqlString(f)}, 'CSVWithNames')`);
			await command(
				db,
				`INSERT INTO FUNCTION file(${sqlString(out!)}, 'Parquet') ${list.join(' UNION ALL ')}`,
				{},
				{ tag: 'bench', settings: BOUNDED_MEMORY }
			);
		}
		return {};
	},
	/** A synthetic orders CSV of about <gb> GB for accounts A0000001… (once). args: out, gb, accounts */
	async 'big-file'(db) {
		const [out, gb, accounts] = args;
		if (!existsSync(out!)) {
			const rows = Math.round((Number(gb) * 1e9) / 75);
			await command(
				db,
				`INSERT INTO FUNCTION file(${sqlString(out!)}, 'CSVWithNames')
SELECT concat('BIG', leftPad(toString(number), 10, '0')) AS order_id,
       concat('A', leftPad(toString(1 + number % ${Number(accounts)}), 7, '0')) AS account_id,
       toString(toDateTime('2024-01-01 00:00:00') + number % 60000000) AS ordered_at,
       'completed' AS status, 'CNY' AS currency,
       toString(round(100 + (number % 100000) / 7, 2)) AS net_amount, 'direct' AS channel
FROM numbers(${rows}) SETTINGS engine_file_truncate_on_insert = 1`,
				{},
				{ tag: 'bench' }
			);
		}
		return {};
	}
};

const run = steps[step];
if (!run) throw new Error(`unknown step ${step}`);
const db = await openAndMigrate(loadConfig({ ...process.env, TENURE_DATA_DIR: dataDir }));
const t0 = performance.now();
// CPU time of the whole process, the engine's threads included (it runs in-process): far steadier
// than wall time on a shared machine.
const cpu0 = process.cpuUsage();
const out = await run(db);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await db.close();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(
	`${JSON.stringify({ ...out, seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`
);
