import { Option, type Command } from 'commander';
import { once } from 'node:events';
import { ltvByAccount, LtvError, type LtvAccountRow } from '../analytics/ltv/index.ts';
import type { Db } from '../sql/client.ts';
import { fail, withDb } from './context.ts';
import { isoDate } from './options.ts';

export interface ExportOptions {
	/** YYYY-MM-DD; each dataset says what it defaults to. */
	readonly asOf?: string;
}

/** A dataset `tenure export` can write: its rows come in pages, its columns are fixed. */
export interface ExportDataset {
	readonly name: string;
	readonly description: string;
	readonly columns: readonly string[];
	run(db: Db, opts: ExportOptions): AsyncIterable<readonly Record<string, unknown>[]>;
}

/** Rows per page read from the database. */
const PAGE = 100_000;

const LTV_COLUMNS = [
	'as_of',
	'account_id',
	'name',
	'segment',
	'region',
	'industry',
	'model',
	'currency',
	'cohort_month',
	'x',
	't_x',
	'T',
	'm_x',
	'revenue',
	'ltv_historical',
	'p_alive',
	'exp_tx_4w',
	'exp_tx_13w',
	'exp_tx_52w',
	'exp_avg_value',
	'ltv_12m_predicted',
	'ltv_contractual',
	'mrr',
	'last_order_date',
	'next_order_due',
	'overdue'
] as const;

function ltvExportRow(
	asOf: string,
	r: LtvAccountRow
): Record<(typeof LTV_COLUMNS)[number], unknown> {
	return {
		as_of: asOf,
		account_id: r.accountId,
		name: r.name,
		segment: r.segment,
		region: r.region,
		industry: r.industry,
		model: r.model,
		currency: r.currency,
		cohort_month: r.cohortMonth,
		x: r.x,
		t_x: r.tx,
		T: r.T,
		m_x: r.mx,
		revenue: r.revenue,
		ltv_historical: r.ltvHistorical,
		p_alive: r.pAlive,
		exp_tx_4w: r.expTx4w,
		exp_tx_13w: r.expTx13w,
		exp_tx_52w: r.expTx52w,
		exp_avg_value: r.expAvgValue,
		ltv_12m_predicted: r.ltv12mPredicted,
		ltv_contractual: r.ltvContractual,
		mrr: r.mrr,
		last_order_date: r.lastOrderDate,
		next_order_due: r.nextOrderDue,
		overdue: r.overdue ? 1 : 0
	};
}

/** Issue 3 adds the other datasets (and real scopes) here. */
export const DATASETS: readonly ExportDataset[] = [
	{
		name: 'ltv',
		description:
			'Per-account LTV of the latest refresh of a date (tenure ltv): P(alive), expected orders, predicted, historical and contractual LTV.',
		columns: LTV_COLUMNS,
		async *run(db, opts) {
			let asOf = opts.asOf;
			for (let offset = 0; ; offset += PAGE) {
				const page = await ltvByAccount(db, {
					asOf,
					scope: 'all',
					sort: 'account_id',
					limit: PAGE,
					offset
				});
				if (!page) {
					throw new LtvError(
						opts.asOf
							? `No LTV has been computed as of ${opts.asOf}: run tenure ltv --as-of ${opts.asOf} first.`
							: 'No LTV has been computed yet: run tenure ltv first.'
					);
				}
				asOf = page.refresh.asOf;
				yield page.rows.map((r) => ltvExportRow(page.refresh.asOf, r));
				if (page.rows.length < PAGE) return;
			}
		}
	}
];

function csvField(v: unknown): string {
	if (v === null || v === undefined) return '';
	const s = String(v);
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function registerExportCommands(program: Command): void {
	program
		.command('export')
		.description('Print a dataset as CSV or JSON (tenure export --list shows them).')
		.argument('[dataset]', `one of: ${DATASETS.map((d) => d.name).join(', ')}`)
		.option('--list', 'list the datasets')
		.option('--as-of <date>', 'the as-of date (default: the latest)', isoDate)
		.addOption(
			new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv')
		)
		.action(
			async (
				name: string | undefined,
				opts: { list?: boolean; asOf?: string; format: 'csv' | 'json' }
			) => {
				if (opts.list) {
					for (const d of DATASETS) process.stdout.write(`${d.name.padEnd(8)} ${d.description}\n`);
					return;
				}
				const dataset = DATASETS.find((d) => d.name === name);
				if (!dataset) {
					fail(
						name
							? `unknown dataset '${name}'. Datasets: ${DATASETS.map((d) => d.name).join(', ')} (tenure export --list).`
							: 'name a dataset to export, or --list to see them.'
					);
				}
				// A reader that stops early (| head) is not an error.
				process.stdout.on('error', (e: NodeJS.ErrnoException) => {
					if (e.code === 'EPIPE') process.exit(0);
					throw e;
				});
				await withDb(async (db) => {
					// Waits when the reader is slower than the export, instead of buffering it all.
					const write = async (s: string) => {
						if (!process.stdout.write(s)) await once(process.stdout, 'drain');
					};
					let first = true;
					let started = false;
					for await (const rows of dataset.run(db, { asOf: opts.asOf })) {
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
					if (opts.format === 'json' && started) await write(first ? ']\n' : '\n]\n');
				});
			}
		);
}
