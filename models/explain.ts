/**
 * Churn drivers as sentences in the user's language: a numeric feature through its FeatureSpec's
 * template (value against the training mean), a categorical one as "segment: smb" (scoring stores
 * a categorical driver as `name=level`, since the driver's value column is numeric).
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
	const [name = feature, level] = feature.split('=', 2);
	const spec = SPECS.get(name);
	if (!spec) return feature;
	if (spec.kind === 'categorical') {
		const label = spec.label?.[locale] ?? name;
		return level === undefined ? label : `${label}${locale === 'zh' ? '：' : ': '}${level}`;
	}
	return spec.driver[locale](value, typical);
}
