import { closest, distance } from 'fastest-levenshtein';

/** A problem with a user's input (file, mapping, arguments) stated so the user can fix it. */
export class IngestError extends Error {
	override name = 'IngestError';
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
	return distance(word.toLowerCase(), best) <= limit ? ` Did you mean '${original}'?` : '';
}

export function listOf(names: readonly string[]): string {
	return names.map((n) => `'${n}'`).join(', ');
}
