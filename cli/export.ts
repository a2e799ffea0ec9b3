import { Option, type Command } from 'commander';
import { once } from 'node:events';
import type { Dataset } from '../analytics/datasets.ts';
import { DATASETS as ANALYTICS_DATASETS } from '../analytics/registry.ts';
import { MODEL_DATASETS } from '../models/datasets.ts';
import { filterPairs, parseFilters } from '../analytics/scope.ts';
import { fail, withDb } from './context.ts';
import { isoDate } from './options.ts';

/** Every dataset: the analytics' and the churn model's. */
const DATASETS: readonly Dataset[] = [...ANALYTICS_DATASETS, ...MODEL_DATASETS];
const findDataset = (name: string) => DATASETS.find((d) => d.name === name);

function csvField(v: unknown): string {
	if (v === null || v === undefined) return '';
	const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Checks dataset options (`--grain`, `--option k=v`) against what the dataset declares. */
function datasetOptions(dataset: Dataset, pairs: [string, string][]): Record<string, string> {
	const declared = dataset.options ?? {};
	const out: Record<string, string> = {};
	for (const [key, value] of pairs) {
		const option = declared[key];
		if (!option) {
			const known = Object.keys(declared);
			fail(
				`dataset ${dataset.name} has no option '${key}'${known.length ? `; it takes: ${known.join(', ')}` : ''}.`
			);
		}
		if (!option.values.includes(value)) {
			fail(`${dataset.name} --${key} must be one of ${option.values.join(', ')}, not '${value}'.`);
		}
		out[key] = value;
	}
	return out;
}

function listDatasets(): string {
	const width = Math.max(...DATASETS.map((d) => d.name.length)) + 2;
	return DATASETS.map((d) => {
		const options = Object.entries(d.options ?? {}).map(
			([k, o]) =>
				`\n${' '.repeat(width)}--${k} ${o.values.join('|')} (default ${o.fallback}): ${o.description}`
		);
		return `${d.name.padEnd(width)}${d.description}${options.join('')}\n${' '.repeat(width)}columns: ${d.columns.join(', ')}`;
	}).join('\n');
}

export function registerExportCommands(program: Command): void {
	program
		.command('export')
		.description('Print a dataset as CSV or JSON (tenure export --list shows them).')
		.argument('[dataset]', `one of: ${DATASETS.map((d) => d.name).join(', ')}`)
		.option('--list', 'list the datasets with their columns and options')
		.option('--as-of <date>', 'the as-of date (default: the latest refresh)', isoDate)
		.option(
			'--filter <key=value>',
			'narrow the accounts (segment, region, industry, channel, owner, team, tier, category); repeatable, values comma-separated',
			collect
		)
		.option('--grain <grain>', 'period grain of period datasets (month, week, quarter, year)')
		.option('--option <key=value>', 'a dataset option (see --list); repeatable', collect)
		.addOption(
			new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv')
		)
		.action(
			async (
				name: string | undefined,
				opts: {
					list?: boolean;
					asOf?: string;
					filter?: string[];
					grain?: string;
					option?: string[];
					format: 'csv' | 'json';
				}
			) => {
				if (opts.list) {
					process.stdout.write(`${listDatasets()}\n`);
					return;
				}
				const dataset = name ? findDataset(name) : undefined;
				if (!dataset) {
					fail(
						name
							? `unknown dataset '${name}'. Datasets: ${DATASETS.map((d) => d.name).join(', ')} (tenure export --list).`
							: 'name a dataset to export, or --list to see them.'
					);
				}
				const optionPairs: [string, string][] = [];
				try {
					optionPairs.push(...filterPairs(opts.option ?? []));
				} catch (e) {
					fail((e as Error).message.replace(/^Filter/, 'Option'));
				}
				if (opts.grain !== undefined) optionPairs.push(['grain', opts.grain]);
				const options = datasetOptions(dataset, optionPairs);
				// A reader that stops early (| head) is not an error.
				process.stdout.on('error', (e: NodeJS.ErrnoException) => {
					if (e.code === 'EPIPE') process.exit(0);
					throw e;
				});
				await withDb(async (db) => {
					const filters = parseFilters(filterPairs(opts.filter ?? []));
					// Waits when the reader is slower than the export, instead of buffering it all.
					const write = async (s: string) => {
						if (!process.stdout.write(s)) await once(process.stdout, 'drain');
					};
					let first = true;
					let started = false;
					for await (const rows of dataset.run(db, {
						asOf: opts.asOf,
						filters,
						scope: 'all',
						options
					})) {
						// The header once the dataset has answered: an error comes without one.
						if (!started) {
							await write(opts.format === 'csv' ? `${dataset.columns.join(',')}\n` : '[');
							started = true;
						}
						if (opts.format === 'csv') {
							const lines = rows.map((r) => dataset.columns.map((c) => csvField(r[c])).join(','));
							if (lines.length) await write(`${lines.join('\n')}\n`);
						} else {
							const items = rows.map(
								(r, i) => `${first && i === 0 ? '\n' : ',\n'}${JSON.stringify(r)}`
							);
							if (items.length) await write(items.join(''));
							first &&= items.length === 0;
						}
					}
					if (!started) await write(opts.format === 'csv' ? `${dataset.columns.join(',')}\n` : '[');
					if (opts.format === 'json') await write(first ? ']\n' : '\n]\n');
				});
			}
		);
}
