/**
 * Revenue concentration (Pareto curve) of trailing-12-month revenue as of a refresh: the share of
 * revenue from the top x % of accounts (the rule is analytics/segments/pareto-math.ts; the SQL is
 * sql/queries/segments-pareto.sql). Shares are numbers; the total revenue a decimal string.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryOne } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import type { RefreshRef } from '../refresh/state.ts';
import { curveFractions, PARETO_MARKS } from './pareto-math.ts';
import { readBase, type Raw, type SegmentReadOptions } from './read-options.ts';

export interface ParetoOptions extends SegmentReadOptions {
	/** Steps of the full curve (it has points + 1 points, from 0 to 1); default 100, at most 1000. */
	readonly points?: number;
}

export interface ParetoPoint {
	/** Fraction of accounts (the top ones by revenue), 0..1. */
	readonly accountShare: number;
	/** Fraction of their revenue; null when no account has revenue. */
	readonly revenueShare: number | null;
}

export interface ParetoCurve {
	readonly refresh: RefreshRef;
	/** Accounts with trailing-12-month revenue > 0 (in the filters and scope): the population. */
	readonly accounts: number;
	/** Their revenue, a decimal string. */
	readonly revenue: string;
	/** At the top 1 %, 5 %, 10 %, 20 %, 50 % and 100 % of accounts. */
	readonly marks: ParetoPoint[];
	readonly curve: ParetoPoint[];
}

export const MAX_PARETO_POINTS = 1000;

export async function paretoCurve(db: Db, options: ParetoOptions = {}): Promise<ParetoCurve> {
	const points = options.points ?? 100;
	if (!Number.isInteger(points) || points < 1 || points > MAX_PARETO_POINTS) {
		throw new AnalyticsError(
			`A Pareto curve of ${points} points is not possible: use 1 to ${MAX_PARETO_POINTS}.`
		);
	}
	const { refresh, params } = await readBase(db, options);
	const fractions = [...PARETO_MARKS, ...curveFractions(points)];
	const row = await queryOne<Raw>(
		db,
		loadQuery('segments-pareto'),
		{ ...params, shares: fractions },
		{ tag: 'segments:pareto' }
	);
	const shares = ((row?.revenue_shares as unknown[]) ?? []).map((v) =>
		v === null ? null : Number(v)
	);
	const point = (i: number): ParetoPoint => ({
		accountShare: fractions[i]!,
		revenueShare: shares[i] ?? null
	});
	return {
		refresh,
		accounts: Number(row?.accounts ?? 0),
		revenue: String(row?.revenue ?? '0'),
		marks: PARETO_MARKS.map((_, i) => point(i)),
		curve: curveFractions(points).map((_, j) => point(PARETO_MARKS.length + j))
	};
}
