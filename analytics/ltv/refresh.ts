/**
 * The LTV refresh (METRICS.md, "LTV"): as of a date, fit BG/NBD and Gamma-Gamma on the accounts
 * that buy without a contract, value the subscription accounts contractually, and store the fits
 * (ltv_fits) and every account's values (account_ltv) under one fit_id. The CLI (`tenure ltv`) and
 * the portal's jobs call this same function.
 *
 * Which accounts are which: an account that has had a subscription by the as-of date is a
 * subscription account (contractual LTV, including 0 once churned); every other account with a
 * counted order is valued with the BG/NBD + Gamma-Gamma models, which are fitted on those accounts
 * only — contract customers' orders follow their contract, not the model's buying process. The
 * tenant setting business_model = orders (or subscriptions) turns one side off.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../sql/client.ts';
import { command, insertRows, insertTsv, loadQuery, tsvField } from '../../sql/query.ts';
import { ltvSettings, type LtvSettings } from '../config.ts';
import {
	checkDate,
	defaultAsOf,
	readPurchaseHistories,
	readSubscriptionAccounts,
	readSubscriptionChurn,
	resolveCurrency,
	stagePurchaseSummary,
	type PurchaseHistories,
	type SubscriptionAccount,
	type SubscriptionChurn
} from './inputs.ts';
import { scoreCustomers, type Scores } from './score.ts';
import { fitTenantModels, type FitStatus, type TenantFits } from './tenant-fit.ts';

/** Horizons of the expected transactions, in weeks. */
export const HORIZONS_WEEKS = [4, 13, 52] as const;
/** Predicted LTV over 12 months = 52 weeks. */
const LTV_HORIZON_WEEKS = 52;
/** METRICS.md: contractual LTV is capped at 10 years. */
export const CONTRACTUAL_CAP_MONTHS = 120;
/** Rows of model outputs per batch of text (and per INSERT on a server). */
const WRITE_BATCH = 100_000;

export interface ComputeLtvOptions {
	/** YYYY-MM-DD; default today, or the last day with data when the data end earlier. */
	readonly asOf?: string;
	/** IANA zone of the calendar days; default the tenant's (TENURE_TZ). */
	readonly tz?: string;
}

export interface FitReport {
	readonly model: 'bgnbd' | 'gamma_gamma' | 'contractual';
	readonly status: FitStatus;
	readonly params: Record<string, number>;
	/** null when the model was not fitted. */
	readonly logLikelihood: number | null;
	readonly n: number;
	readonly converged: boolean;
	readonly iterations: number;
	readonly message: string;
}

export interface LtvRefreshResult {
	/** Identifies this refresh in ltv_fits and account_ltv; null when nothing was written. */
	readonly fitId: string | null;
	readonly asOf: string;
	readonly currency: string | null;
	readonly margin: number;
	readonly discountRate: number;
	readonly accounts: {
		readonly total: number;
		/** Valued with the purchase models (model 'orders'). */
		readonly orders: number;
		readonly subscriptions: number;
		/** With a predicted LTV. */
		readonly predicted: number;
	};
	readonly fits: FitReport[];
	/** Everything the user should know, in words (also in ltv_fits.message). */
	readonly warnings: string[];
	/** Milliseconds per step, for benchmarks and slow-refresh diagnosis. */
	readonly timings: Record<string, number>;
}

function contractualLtv(mrr: number, margin: number, monthlyRate: number): number {
	const months =
		monthlyRate > 0 ? Math.min(1 / monthlyRate, CONTRACTUAL_CAP_MONTHS) : CONTRACTUAL_CAP_MONTHS;
	return mrr * margin * months;
}

function fitReport(fit: TenantFits['bgnbd'] | TenantFits['gammaGamma']): FitReport {
	return {
		model: fit.model,
		status: fit.status,
		params: fit.params ? { ...fit.params } : {},
		logLikelihood: fit.logLikelihood,
		n: fit.n,
		converged: fit.converged,
		iterations: fit.iterations,
		message: fit.message
	};
}

function contractualReport(
	churn: SubscriptionChurn | null,
	accounts: number,
	settings: LtvSettings,
	asOf: string
): FitReport {
	if (settings.businessModel === 'orders') {
		return {
			model: 'contractual',
			status: 'skipped',
			params: {},
			logLikelihood: null,
			n: 0,
			converged: false,
			iterations: 0,
			message: ''
		};
	}
	const rate = churn?.monthlyRate ?? null;
	return {
		model: 'contractual',
		status: rate === null ? (accounts > 0 ? 'too_few' : 'skipped') : 'fitted',
		params:
			churn && rate !== null
				? { monthly_churn_rate: rate, churned: churn.churned, at_risk: churn.atRisk }
				: {},
		logLikelihood: null,
		n: accounts,
		converged: rate !== null,
		iterations: 0,
		message:
			rate === null && accounts > 0
				? `No subscription account was active in the 12 months before ${asOf}, so there is no churn rate to value contracts with: contractual LTV is left empty.`
				: ''
	};
}

/** Refreshes the LTV of every account as of a date and stores it; see the module comment. */
export async function computeLtv(
	db: Db,
	options: ComputeLtvOptions = {}
): Promise<LtvRefreshResult> {
	const timings: Record<string, number> = {};
	const timed = async <T>(step: string, body: () => Promise<T> | T): Promise<T> => {
		const t0 = performance.now();
		try {
			return await body();
		} finally {
			timings[step] = (timings[step] ?? 0) + performance.now() - t0;
		}
	};

	const settings = await ltvSettings(db);
	const tz = options.tz ?? db.timezone;
	const asOf = options.asOf
		? checkDate(options.asOf, 'The as-of date')
		: ((await defaultAsOf(db, tz)) ?? new Date().toISOString().slice(0, 10));
	const currency = await resolveCurrency(db, asOf, tz, settings);
	const base = { asOf, currency, margin: settings.margin, discountRate: settings.discountRate };
	if (currency === null) {
		return {
			...base,
			fitId: null,
			accounts: { total: 0, orders: 0, subscriptions: 0, predicted: 0 },
			fits: [],
			warnings: [
				`No counted order (status ${['paid', 'shipped', 'completed'].join('/')}) or subscription on or before ${asOf}: there is nothing to value yet. Load orders or subscriptions first (tenure ingest).`
			],
			timings
		};
	}

	// The summary stays in ClickHouse, in a scratch table of this refresh: JavaScript reads the
	// models' columns and sends back only what it computed (ltv-refresh-write.sql joins the two).
	const fitId = randomUUID();
	const scratch = `_ltv_${fitId.replace(/-/g, '')}`;
	const tables = { summary: `${scratch}_summary`, scores: `${scratch}_scores` };
	try {
		await timed('summarySql', () =>
			stagePurchaseSummary(db, tables.summary, { asOf, tz, currency, settings })
		);
		const summary = await timed('summaryRead', () => readPurchaseHistories(db, tables.summary));
		const contractual = settings.businessModel !== 'orders';
		const subscriptions = contractual
			? await timed('contractualSql', () =>
					readSubscriptionAccounts(db, { asOf, currency, settings })
				)
			: [];
		const churn = subscriptions.length
			? await timed('contractualSql', () => readSubscriptionChurn(db, { asOf, currency, settings }))
			: null;

		const subscriptionIds = new Set(subscriptions.map((s) => s.accountId));
		const orderRows: number[] = [];
		for (let i = 0; i < summary.accountId.length; i++) {
			if (!subscriptionIds.has(summary.accountId[i]!)) orderRows.push(i);
		}
		const rows = Int32Array.from(orderRows);
		const fits = fitTenantModels(summary, rows, asOf, {
			skip: settings.businessModel === 'subscriptions',
			skipMessage:
				'The tenant setting business_model is subscriptions: accounts buying without a contract are not valued with the purchase models.'
		});
		timings.bgnbdFit = fits.bgnbd.seconds * 1000;
		timings.gammaGammaFit = fits.gammaGamma.seconds * 1000;

		const scores = await timed('scoring', () => score(summary, rows, fits, settings));
		const contract = contractualReport(churn, subscriptions.length, settings, asOf);
		const reports = [fitReport(fits.bgnbd), fitReport(fits.gammaGamma), contract];
		const createdAt = new Date();

		await timed('write', async () => {
			await command(db, loadQuery('ltv-refresh-scores-table'), tables, { tag: 'ltv:scores-table' });
			await insertTsv(
				db,
				tables.scores,
				SCORE_COLUMNS,
				scoreLines({
					settings,
					summary,
					rows,
					scores,
					subscriptions,
					monthlyChurn: churn?.monthlyRate ?? null
				}),
				'ltv:scores'
			);
			await command(
				db,
				loadQuery('ltv-refresh-write'),
				{
					...tables,
					as_of: asOf,
					fit_id: fitId,
					currency,
					computed_at: createdAt.toISOString().replace('T', ' ').replace('Z', '')
				},
				{ tag: 'ltv:accounts' }
			);
			// The fits last: a refresh becomes visible (latestLtvRefresh) once all its accounts are in.
			await insertRows(
				db,
				'ltv_fits',
				reports.map((r) => ({
					fit_id: fitId,
					as_of: asOf,
					calibration_end: asOf,
					model: r.model,
					status: r.status,
					params: r.params,
					log_likelihood: r.logLikelihood,
					n: r.n,
					converged: r.converged ? 1 : 0,
					iterations: r.iterations,
					message: r.message,
					currency,
					margin: settings.margin,
					discount_rate: settings.discountRate,
					created_at: createdAt
				})),
				'ltv:fits'
			);
		});

		const predicted = scores ? scores.ltv.filter(Number.isFinite).length : 0;
		return {
			...base,
			fitId,
			accounts: {
				total: rows.length + subscriptions.length,
				orders: rows.length,
				subscriptions: subscriptions.length,
				predicted
			},
			fits: reports,
			warnings: [
				...new Set(reports.map((r) => r.message).filter((m) => m !== '')),
				...(scores?.unscored
					? [
							`${scores.unscored.toLocaleString('en-US')} accounts could not be scored: their expected orders are beyond the numerical range of the model (very long histories with extreme parameters), so their predicted values are left empty.`
						]
					: [])
			],
			timings
		};
	} finally {
		await timed('cleanup', () => dropScratch(db, Object.values(tables)));
	}
}

/**
 * Drops a refresh's scratch tables. A failure here must not hide the refresh's own error (or turn
 * a finished refresh into a failed one): a table left behind holds one refresh's rows, no more.
 */
async function dropScratch(db: Db, tables: string[]): Promise<void> {
	const tag = { tag: 'ltv:cleanup' };
	for (const table of tables) {
		await command(db, 'DROP TABLE IF EXISTS {table:Identifier}', { table }, tag).catch(
			() => undefined
		);
	}
}

function score(
	summary: PurchaseHistories,
	rows: Int32Array,
	fits: TenantFits,
	settings: LtvSettings
): Scores | null {
	if (fits.bgnbd.status !== 'fitted' || !fits.bgnbd.params) return null;
	const pick = <T extends Int32Array | Float64Array>(source: T, into: T): T => {
		rows.forEach((row, k) => (into[k] = source[row]!));
		return into;
	};
	return scoreCustomers(
		{
			x: pick(summary.x, new Int32Array(rows.length)),
			txDays: pick(summary.txDays, new Int32Array(rows.length)),
			TDays: pick(summary.TDays, new Int32Array(rows.length)),
			mx: pick(summary.mx, new Float64Array(rows.length))
		},
		{
			bgnbd: fits.bgnbd.params,
			gammaGamma: fits.gammaGamma.status === 'fitted' ? fits.gammaGamma.params : null,
			horizons: HORIZONS_WEEKS,
			ltvHorizon: LTV_HORIZON_WEEKS,
			margin: settings.margin,
			annualDiscountRate: settings.discountRate
		}
	);
}

interface WriteInput {
	readonly settings: LtvSettings;
	readonly summary: PurchaseHistories;
	/** Summary rows valued with the purchase models, in the order of `scores`. */
	readonly rows: Int32Array;
	readonly scores: Scores | null;
	readonly subscriptions: readonly SubscriptionAccount[];
	readonly monthlyChurn: number | null;
}

/** The scratch table of model outputs (ltv-refresh-scores-table.sql), in its column order. */
const SCORE_COLUMNS = [
	'account_id',
	'model',
	'p_alive',
	'exp_tx_4w',
	'exp_tx_13w',
	'exp_tx_52w',
	'exp_avg_value',
	'ltv_12m_predicted',
	'ltv_contractual',
	'mrr',
	'first_start'
] as const;

/**
 * What JavaScript computed per account, as TabSeparated lines in SCORE_COLUMNS order, WRITE_BATCH
 * at a time: built as text directly, since a million row objects would cost more than the fit.
 * Everything else in account_ltv comes from the summary inside ClickHouse.
 */
function* scoreLines(input: WriteInput): Generator<string[]> {
	const { summary, scores } = input;
	const num = (v: number) => (Number.isFinite(v) ? `${v}` : '\\N');
	const money = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100) / 100}` : '\\N');
	const unscored = '\\N\t\\N\t\\N\t\\N\t\\N\t\\N';
	let batch: string[] = [];

	for (let k = 0; k < input.rows.length; k++) {
		const predicted = scores
			? `${num(scores.pAlive[k]!)}\t${num(scores.expected[0]![k]!)}\t${num(scores.expected[1]![k]!)}\t${num(scores.expected[2]![k]!)}\t${money(scores.expectedValue[k]!)}\t${money(scores.ltv[k]!)}`
			: unscored;
		batch.push(
			`${tsvField(summary.accountId[input.rows[k]!]!)}\torders\t${predicted}\t\\N\t\\N\t\\N`
		);
		if (batch.length >= WRITE_BATCH) {
			yield batch;
			batch = [];
		}
	}

	for (const s of input.subscriptions) {
		const contractual =
			input.monthlyChurn === null
				? NaN
				: contractualLtv(Number(s.mrr), input.settings.margin, input.monthlyChurn);
		batch.push(
			`${tsvField(s.accountId)}\tsubscriptions\t${unscored}\t${money(contractual)}\t${s.mrr}\t${s.firstStart}`
		);
		if (batch.length >= WRITE_BATCH) {
			yield batch;
			batch = [];
		}
	}
	yield batch;
}
