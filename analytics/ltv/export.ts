/**
 * The LTV dataset of `tenure export` (and the benchmarks): per-account values of the latest LTV
 * refresh of a date, read in pages through ltvByAccount.
 */
import type { Dataset } from '../datasets.ts';
import { FilterError, type AccountFilters, type AccountScope } from '../scope.ts';
import {
	ltvByAccount,
	type LtvAccountFilters,
	type LtvAccountRow,
	type LtvScope
} from './datasets.ts';
import { LtvError } from './inputs.ts';

/** The account filters the LTV read supports: one value each of segment, region, industry. */
function ltvFilters(filters: AccountFilters): LtvAccountFilters {
	const out: { segment?: string; region?: string; industry?: string } = {};
	for (const [key, values] of Object.entries(filters) as [
		keyof AccountFilters,
		readonly string[]
	][]) {
		if (!values?.length) continue;
		if (key !== 'segment' && key !== 'region' && key !== 'industry') {
			throw new FilterError(
				`The ltv dataset filters by segment, region and industry only, not by ${key}.`
			);
		}
		if (values.length > 1) {
			throw new FilterError(
				`The ltv dataset takes one ${key} at a time, got ${values.join(', ')}.`
			);
		}
		out[key] = values[0];
	}
	return out;
}

/** Account-level LTV rows are scoped by account id; owner scopes need the analytics snapshot. */
function ltvScope(scope: AccountScope): LtvScope {
	if (scope === 'all') return 'all';
	if (scope.owners?.length) {
		throw new FilterError(
			'The ltv dataset cannot be scoped by owner yet: scope it by account ids.'
		);
	}
	return { accountIds: scope.accountIds ?? [] };
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

export const LTV_DATASETS: readonly Dataset[] = [
	{
		name: 'ltv',
		description:
			'Per-account LTV of the latest refresh of a date (tenure ltv): P(alive), expected orders, predicted, historical and contractual LTV.',
		columns: LTV_COLUMNS,
		async *run(db, opts) {
			let asOf = opts.asOf;
			const filters = ltvFilters(opts.filters ?? {});
			for (let offset = 0; ; offset += PAGE) {
				const page = await ltvByAccount(db, {
					asOf,
					scope: ltvScope(opts.scope ?? 'all'),
					filters,
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
