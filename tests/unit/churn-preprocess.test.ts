import { describe, expect, test } from 'vitest';
import { fitPreprocessor, transform, typicalValues } from '../../models/preprocess.ts';

const spec = [
	{ name: 'x', kind: 'numeric' },
	{ name: 'plan', kind: 'categorical' }
] as const;
const columns = {
	x: [1, null, 3, 100, Number.NaN, 5],
	plan: ['a', 'b', 'a', 'zzz', null, 'b']
};
const trainRows = [0, 1, 2, 5];

describe('churn preprocessing', () => {
	const pre = fitPreprocessor(spec, columns, trainRows);

	test('numeric: median fill, mean/std after fill, missing indicator', () => {
		// Training values 1, –, 3, 5: median 3; filled 1, 3, 3, 5: mean 3, std √((4+0+0+4)/4) = √2.
		expect(pre.features[0]).toEqual({
			name: 'x',
			kind: 'numeric',
			fill: 3,
			mean: 3,
			std: Math.SQRT2,
			indicator: true
		});
		expect(pre.features[1]).toEqual({
			name: 'plan',
			kind: 'categorical',
			vocabulary: ['a', 'b'],
			mode: 'a'
		});
		expect(pre.columnNames).toEqual(['x', 'x__missing', 'plan=a', 'plan=b', 'plan=__other__']);
	});

	test('transform: fill + indicator, unseen and unseen-missing levels go to other', () => {
		const m = transform(pre, columns, [0, 3, 4]);
		expect(m).toMatchObject({ nRows: 3, nCols: 5 });
		const rows = [0, 1, 2].map((i) => Array.from(m.matrix.subarray(i * 5, i * 5 + 5)));
		expect(rows[0]).toEqual([Math.fround(-2 / Math.SQRT2), 0, 1, 0, 0]);
		expect(rows[1]).toEqual([Math.fround(97 / Math.SQRT2), 0, 0, 0, 1]);
		// NaN is missing: filled with the median (standardised 0) and flagged; null plan → other.
		expect(rows[2]).toEqual([0, 1, 0, 0, 1]);
	});

	test('fitted on training rows only: other rows do not move the numbers', () => {
		const changed = {
			x: [1, null, 3, -5e6, 42, 5],
			plan: ['a', 'b', 'a', 'c', 'c', 'b']
		};
		expect(fitPreprocessor(spec, changed, trainRows)).toEqual(pre);
		expect(fitPreprocessor(spec, changed, [0, 1, 2, 3, 4, 5])).not.toEqual(pre);
	});

	test('no indicator column when training had no missing value; constant std is 1', () => {
		const p2 = fitPreprocessor([{ name: 'y', kind: 'numeric' }], { y: [2, 2, 2, null] }, [0, 1, 2]);
		expect(p2.features[0]).toMatchObject({ fill: 2, mean: 2, std: 1, indicator: false });
		expect(p2.columnNames).toEqual(['y']);
		expect(Array.from(transform(p2, { y: [2, 2, 2, null] }).matrix)).toEqual([0, 0, 0, 0]);
	});

	test('categorical missing seen in training becomes its own level; vocabulary is capped', () => {
		const c = { c: ['u', null, null, 'v', 'w', 'w', 'w'] };
		const p3 = fitPreprocessor([{ name: 'c', kind: 'categorical' }], c, [0, 1, 2, 3, 4, 5, 6], {
			maxCategories: 2
		});
		expect(p3.features[0]).toMatchObject({ vocabulary: ['w', '__missing__'], mode: 'w' });
		const m = transform(p3, c);
		expect(Array.from(m.matrix.subarray(0, 3))).toEqual([0, 0, 1]);
		expect(Array.from(m.matrix.subarray(3, 6))).toEqual([0, 1, 0]);
	});

	test('JSON round trip transforms identically; typical values are mean and mode', () => {
		const again = JSON.parse(JSON.stringify(pre));
		expect(transform(again, columns).matrix).toEqual(transform(pre, columns).matrix);
		expect(typicalValues(pre)).toEqual({ x: 3, plan: 'a' });
	});

	test('errors name the feature and row', () => {
		expect(() => fitPreprocessor(spec, { x: [1, 'oops'], plan: ['a', 'b'] }, [0, 1])).toThrow(
			/"x" is numeric but row 1/
		);
		expect(() => fitPreprocessor(spec, { x: [1] }, [0])).toThrow(/"plan" is missing/);
	});
});
