import type { Db } from '../../sql/client.ts';
import type { AnalyticsSettings } from '../config.ts';
import type { RefreshRef } from './state.ts';

/** What a refresh step gets: the refresh it writes, its date, and the tenant's settings. */
export interface RefreshContext {
	readonly db: Db;
	readonly refreshId: string;
	/** YYYY-MM-DD: use data through this local day. */
	readonly asOf: string;
	/** IANA zone of the local days. */
	readonly tz: string;
	/** The reporting currency: amounts in any other are left out. */
	readonly currency: string;
	readonly settings: AnalyticsSettings;
	/** The latest earlier succeeded refresh (for "changed since" signals), or null. */
	readonly previous: RefreshRef | null;
	/** Runs and times one named part of a step (the times are stored with the refresh). */
	step<T>(name: string, body: () => Promise<T>): Promise<T>;
	log(line: string): void;
}

/** One step of `tenure refresh`, run in order after the base. */
export interface RefreshStep {
	readonly name: string;
	/** Tables it writes rows with a refresh_id to (rows of failed or replaced refreshes are deleted). */
	readonly tables: readonly string[];
	run(ctx: RefreshContext): Promise<void>;
}
