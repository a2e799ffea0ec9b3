/**
 * Refresh step "alerts": evaluates every early-warning signal as of the refresh date into
 * alert_signals (per refresh), then merges them into the alerts (one open alert per account and
 * signal, kept across refreshes) with one INSERT … SELECT.
 *
 * Why a failed refresh cannot leave half-written alerts: everything before the merge writes only
 * alert_signals rows tagged with the refresh id (deleted when the refresh fails); the merge is
 * the step's last statement and writes new versions only. Should the merge itself or anything
 * after it fail, running the refresh of that date again redoes the merge from the same starting
 * point (alerts resolved on that date count as open again, new alert ids are a hash of account,
 * signal and date), so a repeat cannot double an alert.
 *
 * Alerts only move forward in time: a refresh of a date before the latest merged one evaluates
 * its signals (alert_signals) but leaves the alerts as they are, because a past date cannot
 * reopen or resolve what later refreshes decided.
 */
import { REVENUE_STATUSES } from '../../ingest/entities.ts';
import { command, loadQuery, optimizeFinal, queryOne } from '../../sql/query.ts';
import { PRIORITIES } from '../config.ts';
import type { RefreshContext, RefreshStep } from '../refresh/context.ts';
import { ALERT_WINDOWS } from './signals.ts';

/** The refresh before this one's date: band and detractor signals compare with it. */
async function previousDate(
	ctx: RefreshContext
): Promise<{ refreshId: string; asOf: string } | null> {
	const row = await queryOne<{ refresh_id: string; as_of_day: string }>(
		ctx.db,
		loadQuery('alerts-previous-refresh'),
		{ as_of: ctx.asOf },
		{ tag: 'alerts:previous' }
	);
	return row ? { refreshId: String(row.refresh_id), asOf: String(row.as_of_day) } : null;
}

export const alertsStep: RefreshStep = {
	name: 'alerts',
	tables: ['alert_signals'],
	async run(ctx) {
		const { db, settings } = ctx;
		const previous = await previousDate(ctx);
		const common = { refresh_id: ctx.refreshId, as_of: ctx.asOf, tz: ctx.tz };
		const signal = (name: string, params: Record<string, unknown>) =>
			ctx.step(`alerts:${name}`, () =>
				command(
					db,
					loadQuery(`alerts-signal-${name}`),
					{ ...common, ...params },
					{ tag: `refresh:alerts-${name}` }
				)
			);
		await signal('usage', {
			window_days: ALERT_WINDOWS.usageDays,
			threshold: settings.usageDropThreshold
		});
		await signal('sla', {
			recent_days: ALERT_WINDOWS.slaRecentDays,
			priorities: [...PRIORITIES],
			target_hours: PRIORITIES.map((p) => settings.slaFirstResponseHours[p]),
			normal_hours: settings.slaFirstResponseHours.normal
		});
		await signal('repurchase', {
			statuses: [...REVENUE_STATUSES],
			currency: ctx.currency,
			overdue_factor: settings.overdueFactor
		});
		await signal('sentiment', { window_days: ALERT_WINDOWS.sentimentDays });
		await signal('detractor', {
			window_days: ALERT_WINDOWS.detractorDays,
			previous_as_of: previous?.asOf ?? '1970-01-01'
		});
		await signal('health', {
			previous_refresh_id: previous?.refreshId ?? '',
			green_min: settings.healthGreen,
			yellow_min: settings.healthYellow
		});

		const mark = await queryOne<{ as_of_day: string; any_merged: number }>(
			db,
			loadQuery('alerts-watermark'),
			{},
			{ tag: 'alerts:watermark' }
		);
		if (mark && Number(mark.any_merged) && String(mark.as_of_day) > ctx.asOf) {
			ctx.log(
				`  alerts: left as they are (they were last updated as of ${String(mark.as_of_day)}, after ${ctx.asOf}: alerts only move forward)`
			);
			return;
		}
		await ctx.step('alerts:merge', () =>
			command(
				db,
				loadQuery('alerts-merge'),
				{ refresh_id: ctx.refreshId, as_of: ctx.asOf, version: Date.now() },
				{ tag: 'refresh:alerts-merge' }
			)
		);
		// Every read of alerts is FINAL (the worklist, the KPI set, each account page): merge the
		// versions this refresh wrote now, once, instead of in every read.
		await ctx.step('alerts:optimize', () => optimizeFinal(db, 'alerts', 'refresh:alerts-optimize'));
	}
};
