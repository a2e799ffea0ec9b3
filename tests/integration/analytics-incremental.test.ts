import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setTenantSetting } from '../../analytics/config.ts';
import { refreshAnalytics, type RefreshResult } from '../../analytics/refresh/run.ts';
import { command } from '../../sql/query.ts';
import { loadEntity, orderRow } from '../factories/core.ts';
import { openTestDb, rows } from '../factories/db.ts';
import { fixtureDir } from '../factories/files.ts';

/**
 * Incremental refresh (analytics/refresh/incremental.ts): after a refresh as of D1 = 2026-05-31
 * (a Sunday), a set of changes is loaded through the ingest path and the date moves to
 * D2 = 2026-06-03 (next month, next week). The incremental refresh must recompute exactly the
 * accounts each change touches (worked out per account below), copy the others, and end with the
 * same facts as a refresh that computes everything. Default settings (business model both);
 * TENURE_TZ Asia/Shanghai.
 *
 * Accounts and what happens to them between the refreshes:
 * - A: a new order on 2026-06-01 (new run)                         → orders dirty
 * - B: its order OB1 moves to C; the stored version is merged away → orders dirty (only through
 *   ingest_replaced_accounts: no stored row of B names the change)
 * - C: receives OB1                                                → orders dirty
 * - D: a line added to its old order OD1 (a lines-only run)       → orders dirty
 * - E: its order OE1 refunded                                      → orders dirty
 * - F: an order on 2026-06-02, loaded before the first refresh    → orders dirty (date window)
 * - G: moves from owner o1 (team T1) to o2 (team T2)               → periods dirty
 * - H: a subscription starting 2026-06-02                          → periods dirty
 * - I: an open subscription since 2026-01, now active in June     → periods dirty
 * - J: first order 2025-06-04, which leaves the 52 weeks before D2 (but not its 12 months)
 *                                                                    → weekly periods dirty
 * - K (and K01-K19): nothing                                        → copied everywhere
 */

let t: Awaited<ReturnType<typeof openTestDb>>;
const files = fixtureDir();
const D1 = '2026-05-31';
const D2 = '2026-06-03';
// K and 19 more untouched accounts: the changed ones stay under the share above which the
// facts are computed whole (MAX_DIRTY_SHARE).
const QUIET = Array.from({ length: 19 }, (_, i) => `K${String(i + 1).padStart(2, '0')}`);
const ACCOUNTS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', ...QUIET];

const account = (id: string, owner = 'o1@x.cn') => ({
	account_id: id,
	name: `Account ${id}`,
	segment: 'smb',
	region: '华东',
	industry: '零售',
	owner_email: owner,
	created_at: '2025-01-01 09:00:00'
});
const line = (orderId: string, no: number, sku: string, amount: number) => ({
	order_id: orderId,
	line_no: no,
	sku,
	quantity: 1,
	unit_price: amount,
	net_amount: amount
});

/** Every fact row of a refresh, without its id, sorted: compared between two refreshes. */
async function facts(refreshId: string): Promise<Record<string, unknown[]>> {
	const out: Record<string, unknown[]> = {};
	for (const [table, order] of [
		['account_days', 'account_id, day'],
		['account_products', 'account_id, sku'],
		['account_periods', 'grain, account_id, period']
	] as const) {
		out[table] = await rows(
			t.db,
			`SELECT * EXCEPT refresh_id FROM ${table} WHERE refresh_id = '${refreshId}' ORDER BY ${order}`
		);
	}
	return out;
}

async function dirty(refreshId: string, scope: string): Promise<string[]> {
	return (
		await rows<{ account_id: string }>(
			t.db,
			`SELECT account_id FROM refresh_dirty_accounts WHERE refresh_id = '${refreshId}' AND scope = '${scope}' ORDER BY account_id`
		)
	).map((r) => r.account_id);
}

let first: RefreshResult;
let incremental: RefreshResult;
let incrementalFacts: Record<string, unknown[]>;
const dirtySets: Record<string, string[]> = {};

beforeAll(async () => {
	t = await openTestDb();
	await loadEntity(t.db, files, 'owners', [
		{ owner_email: 'o1@x.cn', name: 'One', team: 'T1' },
		{ owner_email: 'o2@x.cn', name: 'Two', team: 'T2' }
	]);
	await loadEntity(
		t.db,
		files,
		'accounts',
		ACCOUNTS.map((id) => account(id))
	);
	await loadEntity(t.db, files, 'products', [
		{ sku: 'P1', name: 'Pump', category: 'devices', list_price: 100, unit_cost: 60 },
		{ sku: 'P2', name: 'Filter', category: 'consumables', list_price: 10, unit_cost: 4 }
	]);
	await loadEntity(t.db, files, 'orders', [
		orderRow('OA1', 'A', '2026-03-10 10:00:00', 1000),
		orderRow('OB1', 'B', '2026-02-10 10:00:00', 2000),
		orderRow('OB2', 'B', '2026-04-10 10:00:00', 500),
		orderRow('OC1', 'C', '2026-01-05 10:00:00', 700),
		orderRow('OD1', 'D', '2026-03-01 10:00:00', 300),
		orderRow('OE1', 'E', '2026-05-20 10:00:00', 900, 'paid'),
		orderRow('OF1', 'F', '2026-06-02 10:00:00', 400),
		orderRow('OG1', 'G', '2026-04-01 10:00:00', 100),
		orderRow('OJ0', 'J', '2025-06-04 10:00:00', 50),
		orderRow('OJ1', 'J', '2026-04-15 10:00:00', 60),
		orderRow('OK1', 'K', '2026-05-05 10:00:00', 1200),
		...QUIET.map((id, i) =>
			orderRow(`O${id}`, id, `2026-0${1 + (i % 5)}-1${i % 10} 10:00:00`, 100 + i)
		)
	]);
	await loadEntity(t.db, files, 'order_lines', [
		line('OA1', 1, 'P1', 1000),
		line('OB1', 1, 'P2', 2000),
		line('OD1', 1, 'P1', 300),
		line('OF1', 1, 'P2', 400),
		line('OK1', 1, 'P1', 1200)
	]);
	await loadEntity(t.db, files, 'subscriptions', [
		{
			subscription_id: 'SI',
			account_id: 'I',
			plan: 'pro',
			start_date: '2026-01-01',
			end_date: '',
			mrr: 100,
			currency: 'CNY',
			renewal_status: 'active'
		}
	]);
	first = await refreshAnalytics(t.db, { asOf: D1, steps: [] });

	await loadEntity(t.db, files, 'orders', [
		orderRow('OA2', 'A', '2026-06-01 09:00:00', 600),
		orderRow('OB1', 'C', '2026-02-10 10:00:00', 2000),
		orderRow('OE1', 'E', '2026-05-20 10:00:00', 900, 'refunded')
	]);
	// The replaced version of OB1 (account B) is gone from the table after this merge.
	await command(t.db, 'OPTIMIZE TABLE orders FINAL', {}, { tag: 'test' });
	await loadEntity(t.db, files, 'order_lines', [
		line('OA2', 1, 'P2', 600),
		line('OD1', 2, 'P2', 0)
	]);
	await loadEntity(t.db, files, 'accounts', [account('G', 'o2@x.cn')]);
	await loadEntity(t.db, files, 'subscriptions', [
		{
			subscription_id: 'SH',
			account_id: 'H',
			plan: 'pro',
			start_date: '2026-06-02',
			end_date: '',
			mrr: 50,
			currency: 'CNY',
			renewal_status: 'active'
		}
	]);
	incremental = await refreshAnalytics(t.db, { asOf: D2, steps: [] });
	incrementalFacts = await facts(incremental.refreshId);
	for (const scope of ['orders', 'periods-month', 'periods-week']) {
		dirtySets[scope] = await dirty(incremental.refreshId, scope);
	}
}, 120_000);

afterAll(async () => {
	await t.cleanup();
	files.cleanup();
});

describe('incremental refresh', () => {
	test('the first refresh has nothing to build on; the second copies it', () => {
		expect(first.base).toEqual({ mode: 'full', reason: 'no earlier refresh to build on' });
		expect(incremental.base).toMatchObject({
			mode: 'incremental',
			from: first.refreshId,
			accounts: ACCOUNTS.length
		});
	});

	test('exactly the accounts with changed or newly dated orders are recomputed for orders', () => {
		expect(dirtySets.orders).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
	});

	test('periods are recomputed for those, the moved owner and the subscriptions; K is copied', () => {
		const month = dirtySets['periods-month']!;
		const week = dirtySets['periods-week']!;
		for (const id of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']) {
			expect(month).toContain(id);
			expect(week).toContain(id);
		}
		expect(week).toContain('J');
		expect(month).not.toContain('J');
		expect(month).not.toContain('K');
		expect(week).not.toContain('K');
	});

	test('the copied and recomputed facts equal a refresh that computes everything', async () => {
		// The full refresh of the same date replaces the incremental one (its rows were read before).
		const full = await refreshAnalytics(t.db, { asOf: D2, steps: [], full: true });
		expect(full.base).toEqual({ mode: 'full', reason: 'a full refresh was asked for' });
		const expected = await facts(full.refreshId);
		expect(incrementalFacts).toEqual(expected);
		// The facts are not trivially equal: B lost OB1 to C, F's order counts now, A's too.
		const days = incrementalFacts.account_days as { account_id: string; day: string }[];
		expect(days.filter((d) => d.account_id === 'B').map((d) => d.day)).toEqual(['2026-04-10']);
		expect(days.filter((d) => d.account_id === 'C').map((d) => d.day)).toEqual([
			'2026-01-05',
			'2026-02-10'
		]);
		expect(days.filter((d) => d.account_id === 'F').map((d) => d.day)).toEqual(['2026-06-02']);
		expect(days.filter((d) => d.account_id === 'E')).toEqual([]);

		// Again for the same date with nothing new: every account is copied.
		const again = await refreshAnalytics(t.db, { asOf: D2, steps: [] });
		expect(again.base).toEqual({
			mode: 'incremental',
			from: full.refreshId,
			accounts: ACCOUNTS.length,
			dirtyOrders: 0,
			dirtyPeriods: { month: 0, week: 0 },
			productsWhole: false
		});
		expect(await facts(again.refreshId)).toEqual(expected);
	});

	test('a catalogue change recomputes the products whole, and other settings everything', async () => {
		await loadEntity(t.db, files, 'products', [
			{ sku: 'P2', name: 'Filter', category: 'filters', list_price: 10, unit_cost: 4 }
		]);
		const r = await refreshAnalytics(t.db, { asOf: D2, steps: [] });
		expect(r.base).toMatchObject({ mode: 'incremental', dirtyOrders: 0, productsWhole: true });
		const categories = await rows<{ account_id: string; category: string }>(
			t.db,
			`SELECT account_id, category FROM account_products WHERE refresh_id = '${r.refreshId}' AND sku = 'P2' ORDER BY account_id`
		);
		expect(categories).toEqual(
			['A', 'C', 'D', 'F'].map((account_id) => ({ account_id, category: 'filters' }))
		);

		await setTenantSetting(t.db, 'business_model', 'orders');
		try {
			const other = await refreshAnalytics(t.db, { asOf: D2, steps: [] });
			expect(other.base.mode).toBe('full');
			expect(other.base).toMatchObject({
				reason: `refresh ${r.refreshId} was computed under other settings or queries`
			});
		} finally {
			await setTenantSetting(t.db, 'business_model', 'both');
		}
	});

	test("the facts' background merges wait for the end of a refresh, also of a failed one", async () => {
		const optimize = () =>
			command(t.db, 'OPTIMIZE TABLE account_days FINAL', {}, { tag: 'test' }).then(
				() => 'merged',
				(e: unknown) => String(e)
			);
		let during = '';
		const probe = {
			name: 'probe',
			tables: [],
			run: async () => {
				during = await optimize();
			}
		};
		await refreshAnalytics(t.db, { asOf: D2, steps: [probe] });
		expect(during).toMatch(/cancel/i);
		expect(await optimize()).toBe('merged');

		const failing = { name: 'boom', tables: [], run: () => Promise.reject(new Error('boom')) };
		await expect(refreshAnalytics(t.db, { asOf: D2, steps: [failing] })).rejects.toThrow('boom');
		expect(await optimize()).toBe('merged');
	});

	test('a refresh of an earlier date than the latest computes everything', async () => {
		const r = await refreshAnalytics(t.db, { asOf: D1, steps: [] });
		expect(r.base).toEqual({ mode: 'full', reason: 'no earlier refresh to build on' });
	});
});
