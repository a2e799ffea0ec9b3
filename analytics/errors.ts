/** An analytics error the user can act on (a missing refresh, an unknown dataset option). */
export class AnalyticsError extends Error {
	override name = 'AnalyticsError';
}
