import { expect, test } from 'vitest';
import { driverSentence } from '../../models/explain.ts';
import { FEATURES } from '../../models/features.ts';

test('a categorical driver names the category and the account’s level in both languages', () => {
	const segment = FEATURES.find((f) => f.name === 'segment')!;
	expect(driverSentence('segment=smb', 1, 1, 'en')).toBe(`${segment.label!.en}: smb`);
	expect(driverSentence('segment=smb', 1, 1, 'zh')).toBe(`${segment.label!.zh}：smb`);
});

test('a numeric driver uses its feature’s template; an unknown feature is shown as it is', () => {
	expect(driverSentence('days_since_order', 166, 49.4, 'en')).toBe(
		'166 days since the last order (usual 49.4)'
	);
	expect(driverSentence('days_since_order', 166, 49.4, 'zh')).toBe(
		'距上次下单 166 天（通常 49.4）'
	);
	expect(driverSentence('no_such_feature', 1, 1, 'en')).toBe('no_such_feature');
});
