/**
 * A naive per-key sliding-window counter of failures, in memory. Enough to slow password guessing
 * against one portal process; several instances behind a load balancer each count their own.
 */
export class FailureLimiter {
	private failures = new Map<string, number[]>();

	constructor(
		private readonly max: number,
		private readonly windowMs: number
	) {}

	private recent(key: string, now: number): number[] {
		const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	isBlocked(key: string, now = Date.now()): boolean {
		return this.recent(key, now).length >= this.max;
	}

	recordFailure(key: string, now = Date.now()): void {
		const list = this.recent(key, now);
		list.push(now);
		this.failures.set(key, list);
		// Keep memory bounded when many addresses fail once.
		if (this.failures.size > 10_000) {
			for (const k of this.failures.keys()) this.recent(k, now);
		}
	}

	reset(key: string): void {
		this.failures.delete(key);
	}
}

/** Sign-in failures: at most 10 per address per minute. */
export const loginLimiter = new FailureLimiter(10, 60_000);
