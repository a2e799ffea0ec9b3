/**
 * Refresh step "health": the health score of every account active on the refresh date
 * (account_snapshot.active = 1), with its components and inputs, into health_scores. Each refresh
 * of a date writes that date's rows, so successive daily refreshes are the score's history.
 */
import { command } from '../../sql/query.ts';
import type { RefreshStep } from '../refresh/context.ts';
import { healthScoreParams, insertScoresSql } from './score-query.ts';

export const healthStep: RefreshStep = {
	name: 'health',
	tables: ['health_scores'],
	run: (ctx) =>
		ctx.step('health:scores', () =>
			command(
				ctx.db,
				insertScoresSql(),
				healthScoreParams({
					refreshId: ctx.refreshId,
					activeOnly: true,
					asOf: ctx.asOf,
					tz: ctx.tz,
					currency: ctx.currency,
					settings: ctx.settings
				}),
				{ tag: 'refresh:health' }
			)
		)
};
