import type { Command } from 'commander';
import {
	computeLtv,
	holdoutCheck,
	type FitReport,
	type HoldoutReport,
	type LtvRefreshResult
} from '../analytics/ltv/index.ts';
import { fail, withDb } from './context.ts';
import { isoDate } from './options.ts';

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const fixed = (v: number, digits: number) =>
	v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sig = (v: number) => Number(v.toPrecision(4)).toString();
const pct = (v: number | null) => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`);

const PARAM_LABELS: Record<string, string> = { alpha: 'α', gamma: 'γ' };
const MODEL_LABELS: Record<FitReport['model'], string> = {
	bgnbd: 'BG/NBD',
	gamma_gamma: 'Gamma-Gamma',
	contractual: 'Contractual'
};

function fitLine(f: FitReport): string {
	const label = MODEL_LABELS[f.model].padEnd(12);
	if (f.model === 'contractual') {
		const rate = f.params.monthly_churn_rate;
		return rate === undefined
			? `${label} ${f.status === 'skipped' ? 'not used' : 'no churn rate'}`
			: `${label} monthly churn ${(rate * 100).toFixed(2)} % (${int(f.params.churned ?? 0)} churned of ${int(f.params.at_risk ?? 0)} account-months), ${int(f.n)} accounts`;
	}
	if (f.status === 'too_few' || f.status === 'skipped') return `${label} not fitted`;
	const params = Object.entries(f.params)
		.map(([k, v]) => `${PARAM_LABELS[k] ?? k} ${sig(v)}`)
		.join('  ');
	const state = f.converged ? 'converged' : 'NOT converged';
	return `${label} ${params}  log-likelihood ${fixed(f.logLikelihood ?? NaN, 2)}  n ${int(f.n)}  ${state}`;
}

function printRefresh(r: LtvRefreshResult): void {
	const out: string[] = [];
	const discount = r.discountRate
		? `discounted ${(r.discountRate * 100).toFixed(1)} %/year`
		: 'undiscounted';
	out.push(
		`LTV as of ${r.asOf}${r.currency ? ` in ${r.currency}` : ''}, margin ${(r.margin * 100).toFixed(1)} %, ${discount}${r.fitId ? ` (refresh ${r.fitId})` : ''}`
	);
	out.push(
		`accounts: ${int(r.accounts.total)} (${int(r.accounts.orders)} buying without a contract, ${int(r.accounts.subscriptions)} with subscriptions); ${int(r.accounts.predicted)} with a predicted 12-month LTV`
	);
	for (const f of r.fits) out.push(fitLine(f));
	for (const w of r.warnings) out.push(`! ${w}`);
	process.stdout.write(`${out.join('\n')}\n`);
}

function printHoldout(r: HoldoutReport): void {
	const out: string[] = [];
	out.push(
		`Holdout check in ${r.currency}: fitted on orders up to ${r.calibrationEnd}, forecast for (${r.calibrationEnd}, ${r.holdoutEnd}] = ${fixed(r.holdoutWeeks, 1)} weeks`
	);
	for (const f of r.fits) out.push(fitLine(f));
	out.push('');
	out.push('Repeat purchases per customer in the holdout, by repeat purchases in calibration (x):');
	out.push('x      customers   predicted      actual');
	for (const b of r.buckets) {
		out.push(
			`${b.bucket.padEnd(3)} ${int(b.customers).padStart(12)} ${fixed(b.predicted, 3).padStart(11)} ${fixed(b.actual, 3).padStart(11)}`
		);
	}
	out.push(
		`total ${int(r.total.customers).padStart(10)} ${fixed(r.total.predicted, 1).padStart(11)} ${fixed(r.total.actual, 0).padStart(11)}   error ${pct(r.total.errorPercent)}`
	);
	if (r.spend) {
		out.push(
			`Value per purchase (${int(r.spend.customers)} customers with repeat purchases in both periods): predicted ${fixed(r.spend.predicted, 2)}, actual ${fixed(r.spend.actual, 2)}, error ${pct(r.spend.errorPercent)}`
		);
	}
	printTracking(r, out);
	for (const w of r.warnings) out.push(`! ${w}`);
	process.stdout.write(`${out.join('\n')}\n`);
}

/** The tracking curve every 13th week (a quarter), its last week and both period ends. */
function printTracking(r: HoldoutReport, out: string[]): void {
	if (!r.tracking.length) return;
	out.push('');
	out.push(
		`Cumulative repeat purchases by week (week 1 ends ${r.tracking[0]!.weekEnd}), actual vs expected = Σ E[X(t)] over the customers acquired by then:`
	);
	out.push('week  ending          actual    expected     error');
	const last = r.tracking[r.tracking.length - 1]!;
	for (const w of r.tracking) {
		if (w.week % 13 !== 0 && w !== last) continue;
		const error = w.actualCumulative
			? ((w.expectedCumulative - w.actualCumulative) / w.actualCumulative) * 100
			: null;
		out.push(
			`${String(w.week).padStart(4)}  ${w.weekEnd}  ${int(w.actualCumulative).padStart(9)} ${fixed(w.expectedCumulative, 1).padStart(11)}  ${pct(error).padStart(8)}`
		);
	}
	for (const [label, c] of [
		['calibration end', r.cumulative.calibrationEnd],
		['holdout end', r.cumulative.holdoutEnd]
	] as const) {
		out.push(
			`at the ${label} ${c.day}: actual ${int(c.actual)}, expected ${fixed(c.expected, 1)}, error ${pct(c.errorPercent)}`
		);
	}
}

export function registerLtvCommands(program: Command): void {
	program
		.command('ltv')
		.description(
			'Compute and store every account’s LTV (BG/NBD + Gamma-Gamma for accounts buying without a contract, contractual for subscriptions), or with --calibration-end check the models on a holdout period.'
		)
		.option(
			'--as-of <date>',
			'value as of this day (default: today, or the last day with data)',
			isoDate
		)
		.option(
			'--calibration-end <date>',
			'holdout check: fit on orders up to this day and forecast the days after it (stores nothing)',
			isoDate
		)
		.option(
			'--holdout-end <date>',
			'last day of the holdout (default: the last day with data)',
			isoDate
		)
		.option('--json', 'print as JSON')
		.action(
			async (opts: {
				asOf?: string;
				calibrationEnd?: string;
				holdoutEnd?: string;
				json?: boolean;
			}) => {
				if (opts.holdoutEnd && !opts.calibrationEnd) {
					fail('--holdout-end needs --calibration-end (the holdout starts after it).');
				}
				if (opts.asOf && opts.calibrationEnd) {
					fail(
						'give either --as-of (compute and store) or --calibration-end (holdout check), not both.'
					);
				}
				await withDb(async (db) => {
					if (opts.calibrationEnd) {
						const report = await holdoutCheck(db, {
							calibrationEnd: opts.calibrationEnd,
							holdoutEnd: opts.holdoutEnd
						});
						if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
						else printHoldout(report);
						return;
					}
					const result = await computeLtv(db, { asOf: opts.asOf });
					if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
					else printRefresh(result);
				});
			}
		);
}
