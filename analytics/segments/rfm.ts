/**
 * RFM reads for the portal and `tenure export rfm`: scored accounts, and per segment and per
 * (R, FM) cell of the segment map. Money is returned as decimal strings (exact, in the refresh's
 * reporting currency); shares as numbers.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import type { RefreshRef } from '../refresh/state.ts';
import {
	oneOf,
	pageParams,
	segmentsBase,
	share,
	type PageOptions,
	type Raw,
	type SegmentReadOptions
} from './read-options.ts';
import { RFM_SEGMENTS, type RfmSegment, type Score } from './scoring.ts';

export const RFM_SORTS = ['monetary', 'frequency', 'recency', 'score', 'account_id'] as const;
export type RfmSort = (typeof RFM_SORTS)[number];

export interface RfmAccountsOptions extends SegmentReadOptions, PageOptions {
	/** Only this RFM segment (a key of RFM_SEGMENTS; not the CRM `segment` filter). */
	readonly segment?: RfmSegment;
	/** Default monetary (descending). */
	readonly sort?: RfmSort;
}

/** A scored account. `segment` is the CRM segment; `rfmSegment` the RFM one. */
export interface RfmAccountRow {
	readonly accountId: string;
	readonly name: string;
	readonly segment: string;
	readonly region: string;
	readonly industry: string;
	readonly ownerEmail: string;
	readonly tier: string;
	/** YYYY-MM-DD of the last counted order. */
	readonly lastOrder: string;
	readonly recencyDays: number;
	readonly frequency: number;
	/** Revenue in the lookback, a decimal string. */
	readonly monetary: string;
	readonly rScore: Score;
	readonly fScore: Score;
	readonly mScore: Score;
	readonly fmScore: Score;
	readonly rfmSegment: RfmSegment;
}

export async function rfmAccounts(
	db: Db,
	options: RfmAccountsOptions = {}
): Promise<{ refresh: RefreshRef; rows: RfmAccountRow[] }> {
	const rfmSegment = oneOf(options.segment, RFM_SEGMENTS, 'RFM segment');
	const sort = oneOf(options.sort ?? 'monetary', RFM_SORTS, 'sort');
	const { refresh, params } = await segmentsBase(db, options);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('segments-rfm-accounts'),
		{ ...params, ...pageParams(options), rfm_segment: rfmSegment, sort },
		{ tag: 'segments:rfm-accounts' }
	);
	return {
		refresh,
		rows: rows.map((r) => ({
			accountId: String(r.account_id),
			name: String(r.name),
			segment: String(r.segment),
			region: String(r.region),
			industry: String(r.industry),
			ownerEmail: String(r.owner_email),
			tier: String(r.tier),
			lastOrder: String(r.last_order),
			recencyDays: Number(r.recency_days),
			frequency: Number(r.frequency),
			monetary: String(r.monetary),
			rScore: Number(r.r_score) as Score,
			fScore: Number(r.f_score) as Score,
			mScore: Number(r.m_score) as Score,
			fmScore: Number(r.fm_score) as Score,
			rfmSegment: String(r.rfm_segment) as RfmSegment
		}))
	};
}

export interface RfmSegmentSummary {
	readonly segment: RfmSegment;
	readonly accounts: number;
	/** Lookback revenue of its accounts, a decimal string. */
	readonly revenue: string;
	/** Of the scored accounts (in the filters and scope); null when there are none. */
	readonly accountShare: number | null;
	readonly revenueShare: number | null;
}

export interface RfmGridCell {
	/** R score (1 = longest since the last order) and FM score, 1..5 each. */
	readonly r: Score;
	readonly fm: Score;
	readonly segment: RfmSegment;
	readonly accounts: number;
	readonly revenue: string;
}

export interface RfmSegmentMap {
	readonly refresh: RefreshRef;
	/** Accounts with ≥ 1 counted order in the lookback, and their revenue (decimal string). */
	readonly scoredAccounts: number;
	readonly revenue: string;
	/** Every segment in RFM_SEGMENTS order, with zeros for empty ones. */
	readonly segments: RfmSegmentSummary[];
	/** The non-empty cells of the R × FM grid, by R then FM. */
	readonly grid: RfmGridCell[];
}

export async function rfmSegmentMap(
	db: Db,
	options: SegmentReadOptions = {}
): Promise<RfmSegmentMap> {
	const { refresh, params } = await segmentsBase(db, options);
	const mapRows = await queryRows<Raw>(db, loadQuery('segments-rfm-map'), params, {
		tag: 'segments:rfm-map'
	});
	const at = (level: string) => mapRows.filter((r) => r.level === level);
	const total = at('total')[0];
	const scoredAccounts = total ? Number(total.accounts) : 0;
	const revenue = total ? String(total.revenue) : '0';
	const bySegment = new Map(at('segment').map((r) => [String(r.rfm_segment), r]));
	return {
		refresh,
		scoredAccounts,
		revenue,
		segments: RFM_SEGMENTS.map((segment) => {
			const r = bySegment.get(segment);
			const accounts = r ? Number(r.accounts) : 0;
			const segmentRevenue = r ? String(r.revenue) : '0';
			return {
				segment,
				accounts,
				revenue: segmentRevenue,
				accountShare: share(accounts, scoredAccounts),
				revenueShare: share(Number(segmentRevenue), Number(revenue))
			};
		}),
		grid: at('cell').map((r) => ({
			r: Number(r.r) as Score,
			fm: Number(r.fm) as Score,
			segment: String(r.rfm_segment) as RfmSegment,
			accounts: Number(r.accounts),
			revenue: String(r.revenue)
		}))
	};
}
