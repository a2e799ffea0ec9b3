import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refreshAnalytics } from '../../analytics/refresh/run.ts';
import { runDemo } from '../../jobs/demo.ts';
import { churnScores, MODEL_DATASETS } from '../../models/datasets.ts';
import { scoreChurn, trainChurn, type TrainReport } from '../../models/pipeline.ts';
import { currentModel, listModels, ModelError } from '../../models/registry.ts';
import { count, openTestDb } from '../factories/db.ts';

/**
 * The churn model end to end on the demo data set (1,500 accounts, whose generator makes
 * declining accounts order less, open angrier tickets and answer NPS lower before they churn):
 * train on point-in-time snapshots, evaluate on the newest fully labelled one, register,
 * promote, score every active account with drivers.
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
let first: TrainReport;
let beforeTraining: unknown;

beforeAll(async () => {
	t = await openTestDb();
	const loads = await runDemo(t.db, { accounts: 1500, seed: 7, end: '2026-06-30' });
	expect(loads.filter((l) => l.status === 'failed')).toEqual([]);
	await refreshAnalytics(t.db, { asOf: '2026-06-30' });
	beforeTraining = await scoreChurn(t.db).catch((e: unknown) => e);
	first = await trainChurn(t.db, { seed: 42 });
}, 300_000);

afterAll(async () => {
	await t.cleanup();
});

describe('training', () => {
	test('the model clearly beats chance and the health score on the time-based test set', () => {
		// Chance is 0.5; "clearly" is at least 0.15 above it, and above the rule score.
		expect(first.test.rocAuc!).toBeGreaterThan(0.65);
		expect(first.test.rocAuc!).toBeGreaterThan(first.healthAuc!);
		// Lift at the top 10 % above 1: the highest scores hold more churners than average.
		expect(first.test.top10.lift!).toBeGreaterThan(1.5);
		// The test snapshot is the newest one and comes after every training snapshot.
		const test = first.dates.filter((d) => d.split === 'test').map((d) => d.asOf);
		const train = first.dates.filter((d) => d.split === 'train').map((d) => d.asOf);
		expect(test).toHaveLength(1);
		expect(train.every((d) => d < test[0]!)).toBe(true);
	});

	test('the first model is promoted; an equal one trained again is not', async () => {
		expect(first.promoted).toBe(true);
		expect((await currentModel(t.db))?.version).toBe(first.version);
		// Same data, same seed: the same test AUC, which does not beat the current model's.
		const again = await trainChurn(t.db, { seed: 42 });
		expect(again.test.rocAuc).toBe(first.test.rocAuc);
		expect(again.currentAuc).toBe(first.test.rocAuc);
		expect(again.promoted).toBe(false);
		expect((await currentModel(t.db))?.version).toBe(first.version);
		const models = await listModels(t.db);
		expect(models.map((m) => [m.version, m.status])).toEqual([
			[again.version, 'rejected'],
			[first.version, 'promoted']
		]);
	}, 120_000);
});

describe('scoring', () => {
	test('every active account gets a probability and at most three drivers', async () => {
		const r = await scoreChurn(t.db, { asOf: '2026-06-30' });
		const active = await count(
			t.db,
			`SELECT count() AS n FROM account_snapshot WHERE active = 1 AND refresh_id = (SELECT argMax(refresh_id, started_at) FROM analytics_refreshes WHERE status = 'succeeded')`
		);
		expect(r.accounts).toBe(active);
		expect(
			await count(t.db, `SELECT count() AS n FROM churn_scores FINAL WHERE as_of = '2026-06-30'`)
		).toBe(active);
		const page = await churnScores(t.db, { asOf: '2026-06-30', limit: 20 });
		for (const row of page.rows) {
			expect(row.probability).toBeGreaterThanOrEqual(0);
			expect(row.probability).toBeLessThanOrEqual(1);
			expect(row.drivers.length).toBeLessThanOrEqual(3);
			for (const d of row.drivers) {
				expect(d.contribution).toBeGreaterThan(0);
				expect(d.en.length).toBeGreaterThan(0);
				expect(d.zh.length).toBeGreaterThan(0);
			}
		}
		// Highest first.
		const p = page.rows.map((r) => r.probability);
		expect(p).toEqual([...p].sort((a, b) => b - a));
		expect(r.drift.length).toBeGreaterThan(0);

		// Scoring the date again: the new run is read, and the older run's rows are gone.
		const again = await scoreChurn(t.db, { asOf: '2026-06-30' });
		expect(again.accounts).toBe(active);
		expect(
			await count(t.db, `SELECT count() AS n FROM churn_scores WHERE as_of = '2026-06-30'`)
		).toBe(active);
		expect(
			await count(
				t.db,
				`SELECT count() AS n FROM churn_score_runs FINAL WHERE as_of = '2026-06-30' AND accounts = ${active}`
			)
		).toBe(2);
		expect((await churnScores(t.db, { asOf: '2026-06-30', limit: 20 })).rows).toEqual(page.rows);
	});

	test('the model card carries the test metrics and the health score on the same accounts', async () => {
		const card = MODEL_DATASETS.find((d) => d.name === 'model-card')!;
		const rows = [];
		for await (const page of card.run(t.db, {})) rows.push(...page);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ version: first.version, health_auc: first.healthAuc });
		expect(Object.keys(rows[0]!)).toEqual(card.columns);
	});

	test('scoring before any model is promoted says to train first', () => {
		expect(beforeTraining).toEqual(
			new ModelError('No churn model has been promoted yet: run tenure train first.')
		);
	});
});
