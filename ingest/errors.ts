import { closest, distance } from 'fastest-levenshtein';
import { ingestMessage, type IngestMessageCode, type IngestMessageParams } from './messages.ts';

/**
 * A problem with a user's input (file, mapping, arguments) stated so the user can fix it: the
 * message's code and parameters (messages.ts), with its English text as the message.
 */
export class IngestError extends Error {
	override name = 'IngestError';
	constructor(
		readonly code: IngestMessageCode,
		readonly params: IngestMessageParams = {},
		options?: ErrorOptions
	) {
		super(ingestMessage(code, params), options);
	}
}

/** "did you mean 'x'?" when a candidate is close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: readonly string[]): string {
	if (candidates.length === 0) return '';
	const best = closest(
		word.toLowerCase(),
		candidates.map((c) => c.toLowerCase())
	);
	const original = candidates.find((c) => c.toLowerCase() === best) ?? best;
	const limit = Math.max(2, Math.floor(word.length / 2));
	return distance(word.toLowerCase(), best) <= limit
		? ingestMessage('suggest', { name: original })
		: '';
}

export function listOf(names: readonly string[]): string {
	return names.map((n) => `'${n}'`).join(', ');
}
