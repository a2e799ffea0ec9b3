import { afterAll, beforeAll, expect, test } from 'vitest';
import { queryRows } from '../../sql/query.ts';
import { openTestDb } from '../factories/db.ts';

let t: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => {
	t = await openTestDb();
});
afterAll(async () => t.cleanup());

test('migrations create every core table', async () => {
	const rows = await queryRows<{ name: string }>(
		t.db,
		'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name',
		{},
		{ tag: 'test' }
	);
	const names = rows.map((r) => r.name);
	for (const table of [
		'accounts',
		'orders',
		'order_lines',
		'tickets',
		'survey_responses',
		'usage_daily',
		'ingest_runs',
		'ingest_rejects',
		'users',
		'sessions',
		'schema_migrations'
	]) {
		expect(names).toContain(table);
	}
});
