import { beforeAll, describe, expect, test } from 'vitest';
import { driversBatch, driversOf, topDrivers } from '../../models/drivers.ts';
import { fitPreprocessor, transform, typicalValues } from '../../models/preprocess.ts';
import { initTf } from '../../models/tf.ts';
import { TrainedModel } from '../../models/train.ts';

const spec = [
	{ name: 'tickets', kind: 'numeric' },
	{ name: 'seats', kind: 'numeric' },
	{ name: 'plan', kind: 'categorical' }
] as const;
const columns = {
	tickets: [0, 1, 2, 3, 4, null, 12, 2],
	seats: [10, 12, 8, 11, 9, 10, 10, 30],
	plan: ['pro', 'pro', 'basic', 'pro', 'basic', 'pro', 'basic', 'pro']
};
const pre = fitPreprocessor(spec, columns, [0, 1, 2, 3, 4, 5]);
// Columns: tickets, tickets__missing, seats, plan=pro, plan=basic, plan=__other__.

/** A logistic model whose risk rises steeply with tickets, mildly with plan=basic. */
const model = TrainedModel.fromJSON({
	format: 'tenure-churn-model',
	version: 1,
	kind: 'logistic',
	nInputs: 6,
	hidden: [],
	layers: [{ kernel: [2, 0.3, -0.2, 0, 0.8, 0], bias: [-1] }],
	platt: null,
	training: null
});

describe('occlusion drivers', () => {
	beforeAll(async () => {
		await initTf();
	});

	test('the feature that drives the risk ranks first, with value and typical value', () => {
		expect(pre.columnNames).toHaveLength(6);
		const drivers = topDrivers(model, pre, { tickets: 12, seats: 10, plan: 'basic' });
		expect(drivers.map((d) => d.feature)).toEqual(['tickets', 'plan']);
		expect(drivers[0]).toMatchObject({ value: 12, typical: typicalValues(pre).tickets });
		expect(drivers[1]).toMatchObject({ value: 'basic', typical: 'pro' });
		expect(drivers[0]!.contribution).toBeGreaterThan(drivers[1]!.contribution);
	});

	test('contribution = p(original) − p(feature at its typical value)', () => {
		const row = { tickets: 12, seats: 10, plan: 'basic' };
		const occluded = { ...row, tickets: (pre.features[0] as { mean: number }).mean };
		const p = (r: typeof row) =>
			model.predict(
				transform(pre, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [v]]))).matrix
			)[0]!;
		const [first] = topDrivers(model, pre, row);
		expect(first!.contribution).toBeCloseTo(p(row) - p(occluded), 6);
	});

	test('only positive contributions, at most k', () => {
		// Few tickets and many seats both lower the risk: no driver pushes it up.
		expect(topDrivers(model, pre, { tickets: 0, seats: 30, plan: 'pro' })).toEqual([]);
		expect(
			topDrivers(model, pre, { tickets: 12, seats: 1, plan: 'basic' }, undefined, 1)
		).toHaveLength(1);
	});

	test('the batch gives the same drivers and probabilities as one account at a time', () => {
		const rows = [6, 7, 2, 5];
		const batch = driversBatch(model, pre, columns, rows);
		expect(Array.from(batch.probability)).toEqual(
			Array.from(model.predict(transform(pre, columns, rows).matrix))
		);
		rows.forEach((r, i) => {
			const raw = { tickets: columns.tickets[r], seats: columns.seats[r], plan: columns.plan[r] };
			const one = topDrivers(model, pre, raw);
			const fromBatch = driversOf(batch, pre, columns, r, i);
			expect(fromBatch.map((d) => d.feature)).toEqual(one.map((d) => d.feature));
			fromBatch.forEach((d, j) => expect(d.contribution).toBeCloseTo(one[j]!.contribution, 6));
		});
		// Row 5's tickets are missing: occluding them also clears the indicator, a positive driver.
		expect(driversOf(batch, pre, columns, 5, 3)[0]).toMatchObject({
			feature: 'tickets',
			value: null
		});
	});
});
