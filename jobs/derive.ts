import type { Db } from '../sql/client.ts';
import { computeLtv, type LtvRefreshResult } from '../analytics/ltv/index.ts';
import { refreshAnalytics, type RefreshResult } from '../analytics/refresh/run.ts';

export interface DeriveResult {
	readonly analytics: RefreshResult;
	readonly ltv: LtvRefreshResult;
}

/**
 * Everything derived from the core tables as of one date, in dependency order: the analytics
 * refresh (snapshots, cohorts, segments, health, alerts, cross-sell), then LTV. What `tenure demo`
 * and the portal's first start run after loading data.
 */
export async function deriveAll(
	db: Db,
	opts: { asOf?: string; log?: (line: string) => void } = {}
): Promise<DeriveResult> {
	const log = opts.log ?? (() => undefined);
	log('Refreshing the analytics');
	const analytics = await refreshAnalytics(db, { asOf: opts.asOf, log });
	log(`  analytics as of ${analytics.asOf} in ${analytics.seconds.toFixed(1)} s`);
	const ltv = await computeLtv(db, { asOf: analytics.asOf });
	log(`  LTV as of ${ltv.asOf}: ${ltv.accounts.total.toLocaleString('en-US')} accounts valued`);
	return { analytics, ltv };
}
