import type { Db } from '../sql/client.ts';
import { computeLtv, type LtvRefreshResult } from '../analytics/ltv/index.ts';
import { refreshAnalytics, type RefreshResult } from '../analytics/refresh/run.ts';
import { scoreChurn, trainChurn, type ScoreReport, type TrainReport } from '../models/pipeline.ts';
import { ModelError } from '../models/registry.ts';

export interface DeriveResult {
	readonly analytics: RefreshResult;
	readonly ltv: LtvRefreshResult;
	/** null when the data cannot train a churn model yet (the reason is logged). */
	readonly model: { readonly train: TrainReport; readonly score: ScoreReport } | null;
}

/**
 * Everything derived from the core tables as of one date, in dependency order: the analytics
 * refresh (snapshots, cohorts, segments, health, alerts, cross-sell), LTV, then the churn model
 * (trained, and every active account scored). What `tenure demo` and the portal's first start run
 * after loading data.
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
	let model: DeriveResult['model'] = null;
	try {
		const train = await trainChurn(db, { log });
		const score = await scoreChurn(db, { asOf: analytics.asOf, log });
		log(
			`  churn model ${train.version}: ${score.accounts.toLocaleString('en-US')} accounts scored`
		);
		model = { train, score };
	} catch (e) {
		if (!(e instanceof ModelError)) throw e;
		log(`  no churn model yet: ${e.message}`);
	}
	return { analytics, ltv, model };
}
