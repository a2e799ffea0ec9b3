/**
 * Refresh step "segments": RFM scores and segments and lifecycle stages of every account as of the
 * refresh date, into account_segments (sql/migrations/0010_segments.sql). Runs after the health
 * step, whose red band puts an account in decline.
 */
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import { command, loadQuery } from '../../sql/query.ts';
import type { RefreshStep } from '../refresh/context.ts';
import { SEGMENT_GRID } from './scoring.ts';

export const segmentsStep: RefreshStep = {
	name: 'segments',
	tables: ['account_segments'],
	run: (ctx) =>
		ctx.step('segments', () =>
			command(
				ctx.db,
				loadQuery('segments-refresh'),
				{
					refresh_id: ctx.refreshId,
					as_of: ctx.asOf,
					tz: ctx.tz,
					statuses: [...REVENUE_STATUSES],
					currency: ctx.currency,
					lookback_days: ctx.settings.rfmLookbackDays,
					grid: SEGMENT_GRID,
					growth_days: ctx.settings.growthNewDays,
					growth_ratio: ctx.settings.growthRatio,
					decline_ratio: ctx.settings.declineRatio
				},
				{ tag: 'refresh:segments' }
			)
		)
};
