/**
 * Churn drivers as sentences in the user's language: a numeric feature through its FeatureSpec's
 * template (value against the training mean), a categorical one as "segment: smb".
 */
import { FEATURES } from './features.ts';

export type Locale = 'en' | 'zh';

const SPECS = new Map(FEATURES.map((f) => [f.name as string, f]));

export function driverSentence(
	feature: string,
	value: number,
	typical: number,
	locale: Locale
): string {
	const spec = SPECS.get(feature);
	if (!spec) return feature;
	if (spec.kind === 'categorical') return spec.description[locale];
	return spec.driver[locale](value, typical);
}
