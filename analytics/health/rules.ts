/**
 * The constants of the health component rules (analytics/health/README.md, sql/queries/
 * health-score.sql). They shape how a raw input maps to 0–100; the tenant's weights and band
 * thresholds are settings (analytics/config.ts). They reach SQL only as typed parameters.
 */
export const HEALTH_RULES = {
	/** Recency: 100 up to the usual gap between purchase days, 0 at this many times it. */
	recencyZeroRatio: 3,
	/** Support: points off per ticket created in the last 90 days. */
	supportTicketPoints: 2.5,
	/** Support: further points off per ticket that breached an SLA target. */
	supportBreachPoints: 10,
	/** Payment: 0 when the worst invoice is this many days late (linear from 100 at 0 days). */
	paymentZeroDays: 90,
	/** Relationship: 100 while the owner's last touch is at most this many days old… */
	touchFullDays: 30,
	/** …and 0 from this many days, linear between. */
	touchZeroDays: 180
} as const;
