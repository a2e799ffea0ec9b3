/**
 * Refresh step "retention": every account's churn episodes through the refresh date, into
 * account_churn_events (sql/migrations/0009_retention.sql), so churn rates and churned-account
 * lists of any period, filter and scope are one scan.
 */
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import { command, loadQuery } from '../../sql/query.ts';
import type { RefreshStep } from '../refresh/context.ts';

export const retentionStep: RefreshStep = {
	name: 'retention',
	tables: ['account_churn_events'],
	run: (ctx) =>
		ctx.step('retention:churn-events', () =>
			command(
				ctx.db,
				loadQuery('retention-refresh-churn-events'),
				{
					refresh_id: ctx.refreshId,
					as_of: ctx.asOf,
					tz: ctx.tz,
					statuses: [...REVENUE_STATUSES],
					currency: ctx.currency,
					business_model: ctx.settings.businessModel,
					churn_days: ctx.settings.churnInactivityDays,
					grace_days: ctx.settings.renewalGraceDays
				},
				{ tag: 'refresh:retention-churn-events' }
			)
		)
};
