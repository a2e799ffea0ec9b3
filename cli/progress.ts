import cliProgress from 'cli-progress';
import type { LoadProgress } from '../ingest/load.ts';

/** A progress bar on stderr for one file, or nothing when stderr is not a terminal. */
export function fileProgress(
	label: string,
	enabled: boolean
): { update: (p: LoadProgress) => void; stop: () => void } {
	if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
	const bar = new cliProgress.SingleBar(
		{
			stream: process.stderr,
			format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {phase}`,
			hideCursor: true,
			clearOnComplete: true
		},
		cliProgress.Presets.shades_classic
	);
	let started = false;
	return {
		update: (p) => {
			const total = p.totalRows ?? Math.max(p.rows, 1);
			if (!started) {
				bar.start(total, p.rows, { phase: p.phase });
				started = true;
			}
			bar.setTotal(Math.max(total, p.rows));
			bar.update(p.rows, { phase: p.phase });
		},
		stop: () => {
			if (started) bar.stop();
		}
	};
}
