/**
 * One job at a time, in arrival order. Loads write the same core tables and each can use a lot of
 * memory inside this process (the engine is embedded), so uploads, the drop folder and the demo
 * queue here instead of running side by side.
 */

interface Job {
	label: string;
	run: () => Promise<unknown>;
	resolve: (value: unknown) => void;
	reject: (reason: unknown) => void;
}

const waiting: Job[] = [];
let running: { label: string; startedAt: number } | null = null;

export function enqueue<T>(label: string, run: () => Promise<T>): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		waiting.push({ label, run, resolve: resolve as (value: unknown) => void, reject });
		void next();
	});
}

async function next(): Promise<void> {
	if (running) return;
	const job = waiting.shift();
	if (!job) return;
	running = { label: job.label, startedAt: Date.now() };
	try {
		job.resolve(await job.run());
	} catch (e) {
		job.reject(e);
	} finally {
		running = null;
		void next();
	}
}

export interface QueueStatus {
	running: { label: string; startedAt: number } | null;
	waiting: string[];
}

export function queueStatus(): QueueStatus {
	return { running: running && { ...running }, waiting: waiting.map((j) => j.label) };
}
