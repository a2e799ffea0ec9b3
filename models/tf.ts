/**
 * One TensorFlow.js for the churn models. The wasm backend is the default (portable, no native
 * build, and single-threaded ops give the same numbers on every run, which the seeded training
 * relies on); @tensorflow/tfjs-node is used when it happens to be installed, loaded by a dynamic
 * import so that its absence is not an error. Results are reproducible per backend, not across
 * backends.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };

export interface TfBackend {
	readonly name: 'tensorflow' | 'wasm';
	/** Why tfjs-node was not used, when it was found but failed to load. */
	readonly note: string | null;
}

let ready: Promise<TfBackend> | null = null;

/** Select the backend once per process; every train/score entry point awaits this. */
export function initTf(): Promise<TfBackend> {
	ready ??= selectBackend();
	return ready;
}

async function selectBackend(): Promise<TfBackend> {
	let note: string | null = null;
	// A variable specifier keeps bundlers and TypeScript from resolving the optional package.
	const nodeBackend = '@tensorflow/tfjs-node';
	try {
		await import(/* @vite-ignore */ nodeBackend);
		if (await tf.setBackend('tensorflow')) return { name: 'tensorflow', note: null };
		note = 'tfjs-node loaded but its backend did not initialise';
	} catch (error) {
		const code = (error as { code?: string }).code;
		// Not installed is the normal case; anything else (a broken native build) is reported.
		if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') {
			note = `tfjs-node failed to load: ${(error as Error).message}`;
		}
	}
	if (!(await tf.setBackend('wasm'))) {
		throw new Error(
			'TensorFlow.js could not start its wasm backend: check that @tensorflow/tfjs-backend-wasm is installed with its .wasm files (npm ci).'
		);
	}
	await tf.ready();
	return { name: 'wasm', note };
}
