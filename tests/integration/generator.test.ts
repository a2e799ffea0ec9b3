import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generate } from '../../ingest/demo/generate.ts';

/**
 * The demo generator: the same seed gives the same data whatever the number of shards, and the
 * latent health process shows in the exports (accounts that churn answer NPS lower and open more
 * complaints in the months before, than accounts that stay).
 */

const root = mkdtempSync(path.join(tmpdir(), 'tenure-gen-'));
const opts = { accounts: 1500, seed: 11, end: '2026-06-30', years: 3 };
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Data rows of every file of one kind (shard files merged, headers dropped), sorted. */
function rowsOf(dir: string, prefix: string): string[] {
	return readdirSync(dir)
		.filter((f) => f.startsWith(prefix) && !f.endsWith('.json'))
		.flatMap((f) => {
			const lines = readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean);
			return f.endsWith('.jsonl') ? lines : lines.slice(1);
		})
		.sort();
}

const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');
const KINDS = [
	'crm_accounts',
	'erp_orders',
	'erp_order_lines',
	'service_tickets',
	'survey_nps',
	'truth'
];

let one: string;
beforeAll(async () => {
	one = path.join(root, 'one');
	await generate({ ...opts, out: one, shards: 1 });
});

test('the same seed gives the same data set, in one process or two', async () => {
	const again = path.join(root, 'again');
	const sharded = path.join(root, 'sharded');
	await generate({ ...opts, out: again, shards: 1 });
	await generate({ ...opts, out: sharded, shards: 2 });
	for (const kind of KINDS) {
		const expected = digest(rowsOf(one, kind));
		expect(digest(rowsOf(again, kind)), kind).toBe(expected);
		expect(digest(rowsOf(sharded, kind)), kind).toBe(expected);
	}
	const other = path.join(root, 'other');
	await generate({ ...opts, out: other, seed: 12, shards: 1 });
	expect(digest(rowsOf(other, 'erp_orders'))).not.toBe(digest(rowsOf(one, 'erp_orders')));
});

test('accounts that churn look worse in the half year before than accounts that stay', () => {
	const day = (s: string) => Math.floor(Date.parse(`${s.slice(0, 10)}T00:00:00Z`) / 86_400_000);
	const churnDay = new Map<string, number>();
	const stayed = new Set<string>();
	for (const line of rowsOf(one, 'truth')) {
		const [id, , , , churned] = line.split(',');
		if (churned) churnDay.set(id!, day(churned));
		else stayed.add(id!);
	}
	expect(churnDay.size).toBeGreaterThan(50);
	expect(stayed.size).toBeGreaterThan(500);
	// Churners: the 180 days before their churn; stayers: the last 180 days of history.
	const end = day(opts.end);
	const inWindow = (id: string, d: number) => {
		const c = churnDay.get(id);
		if (c !== undefined) return d >= c - 180 && d < c;
		return stayed.has(id) && d >= end - 180 && d < end;
	};
	const nps = { churn: [] as number[], stay: [] as number[] };
	for (const line of rowsOf(one, 'survey_nps')) {
		const [, id, , , score, , at] = line.split(',');
		if (inWindow(id!, day(at!))) (churnDay.has(id!) ? nps.churn : nps.stay).push(Number(score));
	}
	const complaints = { churn: 0, stay: 0 };
	for (const line of rowsOf(one, 'service_tickets')) {
		const t = JSON.parse(line) as { account_id: string; created_at: string; ticket_type: string };
		if (t.ticket_type === 'complaint' && inWindow(t.account_id, day(t.created_at))) {
			complaints[churnDay.has(t.account_id) ? 'churn' : 'stay']++;
		}
	}
	const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	expect(nps.churn.length).toBeGreaterThan(20);
	expect(mean(nps.churn)).toBeLessThan(mean(nps.stay) - 1.5);
	expect(complaints.churn / churnDay.size).toBeGreaterThan((2 * complaints.stay) / stayed.size);
});
