import { Command, Option } from 'commander';
import { entityNames } from '../ingest/entities.ts';
import { loadFile, type LoadResult } from '../ingest/load.ts';
import { loadFolder } from '../ingest/manifest.ts';
import { checkEntityName, readMappingFile } from '../ingest/mapping.ts';
import { queryRows } from '../sql/query.ts';
import { withDb } from './context.ts';
import { rejectLines, summaryLine } from './format.ts';
import { fileProgress } from './progress.ts';
import { registerDemoCommands } from './demo.ts';
import { registerExportCommands } from './export.ts';
import { registerLtvCommands } from './ltv.ts';
import { registerRefreshCommands } from './refresh.ts';
import { registerModelCommands } from './model.ts';
import { registerUserCommands } from './users.ts';
import { positiveInt } from './options.ts';

const program = new Command();
program
	.name('tenure')
	.description(
		'Tenure: customer-health analytics. Configuration comes from the environment (TENURE_DATA_DIR, CLICKHOUSE_URL, …; see README.md).'
	)
	.showHelpAfterError()
	.configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
	.command('migrate')
	.description(
		'Create or update the database schema (runs automatically before every other command).'
	)
	.action(async () => {
		await withDb(async () => {
			process.stdout.write('schema is up to date\n');
		});
	});

function printResults(results: LoadResult[], json: boolean): void {
	if (json) {
		process.stdout.write(
			`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`
		);
	} else {
		for (const r of results) {
			process.stdout.write(`${summaryLine(r)}\n`);
			for (const line of rejectLines(r)) process.stdout.write(`${line}\n`);
			if (r.ignoredColumns.length) {
				process.stdout.write(`    not loaded (no target column): ${r.ignoredColumns.join(', ')}\n`);
			}
		}
	}
	if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
}

program
	.command('ingest')
	.description('Load source files into an entity, or a folder of files described by manifest.json.')
	.argument('[entity]', `one of: ${entityNames().join(', ')}`)
	.argument('[files...]', 'files to load (.csv, .tsv, .jsonl, .parquet; .gz or .zst compressed)')
	.option(
		'--mapping <file>',
		'mapping file: source headers → entity columns, formats, value maps, derived columns'
	)
	.addOption(
		new Option('--format <format>', 'file format when the name does not say').choices([
			'csv',
			'tsv',
			'jsonl',
			'parquet'
		])
	)
	.addOption(
		new Option(
			'--mode <mode>',
			'incremental adds and updates; snapshot also deletes keys missing from the file'
		).choices(['incremental', 'snapshot'])
	)
	.option('--dir <folder>', 'load every file listed in <folder>/manifest.json, in dependency order')
	.option('--json', 'print results as JSON')
	.action(
		async (
			entity: string | undefined,
			files: string[],
			opts: { mapping?: string; format?: 'csv'; mode?: 'incremental'; dir?: string; json?: boolean }
		) => {
			if (!opts.dir && (!entity || files.length === 0)) {
				program.error('tenure ingest: give an entity and at least one file, or --dir <folder>');
			}
			if (opts.dir && entity) {
				program.error('tenure ingest: give either --dir or an entity with files, not both');
			}
			if (entity) {
				try {
					checkEntityName(entity);
				} catch (e) {
					program.error(`tenure ingest: ${(e as Error).message}`);
				}
			}
			await withDb(async (db) => {
				if (opts.dir) {
					let bar: ReturnType<typeof fileProgress> | null = null;
					const results = await loadFolder(db, opts.dir, {
						triggeredBy: 'cli',
						onFile: (file) => {
							bar?.stop();
							bar = fileProgress(file, !opts.json);
							return bar.update;
						}
					});
					(bar as ReturnType<typeof fileProgress> | null)?.stop();
					printResults(results, Boolean(opts.json));
					return;
				}
				const mapping = opts.mapping ? readMappingFile(opts.mapping) : undefined;
				const results: LoadResult[] = [];
				for (const file of files) {
					const bar = fileProgress(file, !opts.json);
					const r = await loadFile(db, {
						entity: entity!,
						file,
						mapping,
						mappingLabel: opts.mapping,
						format: opts.format,
						mode: opts.mode,
						triggeredBy: 'cli',
						onProgress: bar.update
					});
					bar.stop();
					results.push(r);
				}
				printResults(results, Boolean(opts.json));
			});
		}
	);

program
	.command('runs')
	.description('List recent ingest runs.')
	.option('--limit <n>', 'how many', positiveInt, 20)
	.option('--json', 'print as JSON')
	.action(async (opts: { limit: number; json?: boolean }) => {
		await withDb(async (db) => {
			const rows = await queryRows<Record<string, unknown>>(
				db,
				'SELECT run_id, entity, source_file, status, rows_read, rows_new, rows_updated, rows_unchanged, rows_rejected, rows_deleted, started_at, error FROM ingest_runs FINAL ORDER BY started_at DESC LIMIT {limit:UInt32}',
				{ limit: opts.limit },
				{ tag: 'cli:runs' }
			);
			if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
			else {
				for (const r of rows) {
					process.stdout.write(
						`${r.started_at}  ${r.status}  ${r.entity} ← ${r.source_file}  read ${r.rows_read}, new ${r.rows_new}, updated ${r.rows_updated}, rejected ${r.rows_rejected}  ${r.run_id}${r.error ? `\n    ${r.error}` : ''}\n`
					);
				}
			}
		});
	});

program
	.command('rejects')
	.description('List the rows a run rejected, with row number, column and reason.')
	.argument('<run-id>', 'the run id printed by tenure ingest')
	.option('--limit <n>', 'how many', positiveInt, 1000)
	.option('--json', 'print as JSON')
	.action(async (runId: string, opts: { limit: number; json?: boolean }) => {
		await withDb(async (db) => {
			const rows = await queryRows<{
				row_number: number;
				column: string;
				reason: string;
				raw: string;
			}>(
				db,
				'SELECT row_number, column, reason, raw FROM ingest_rejects WHERE run_id = {id:String} ORDER BY row_number, column LIMIT {limit:UInt32}',
				{ id: runId, limit: opts.limit },
				{ tag: 'cli:rejects' }
			);
			if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
			else {
				for (const r of rows) {
					process.stdout.write(
						`row ${r.row_number}${r.column ? `, ${r.column}` : ''}: ${r.reason}${r.raw ? `  ${r.raw}` : ''}\n`
					);
				}
			}
		});
	});

registerDemoCommands(program);
registerUserCommands(program);
registerLtvCommands(program);
registerRefreshCommands(program);
registerModelCommands(program);
registerExportCommands(program);

await program.parseAsync(process.argv);
