import { fork } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { Random } from './random.ts';
import {
	COMPANY_WORDS,
	CITIES,
	GIVEN_NAMES,
	INDUSTRIES,
	NPS_COMMENTS,
	PRODUCTS,
	SURNAMES,
	TEAMS
} from './vocabulary.ts';

/**
 * Writes the source files a real company would export, from a latent per-account health process:
 * each account's health h ∈ [0, 1] drifts month by month; some accounts enter a decline, during
 * which they order less often, open more and angrier tickets, answer NPS lower, use the product
 * less and pay later, until they churn (orders stop, the subscription is not renewed). The true
 * decline and churn dates go to truth.csv, which is not loaded, so models can be judged honestly.
 */

export interface GenerateOptions {
	out: string;
	accounts: number;
	seed: number;
	/** Last day of history (YYYY-MM-DD). */
	end: string;
	years: number;
	/** Weeks of usage history written (usage is weekly snapshots). */
	usageWeeks?: number;
	/** Multiplies every account's order rate (benchmarks at a given order volume); default 1. */
	orderRate?: number;
	/** Processes to generate with (accounts are split between them); 1 = in this process. */
	shards?: number;
	onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
	files: Record<string, number>;
	seconds: number;
}

const DAY_MS = 86_400_000;

/**
 * Buffered line writer: pushes are synchronous (an await per line cost more than the rest of the
 * generator); the caller awaits `drained()` once per account, which honours back-pressure, so
 * memory stays flat at any scale.
 */
class Lines {
	private buf = '';
	/** Set when the stream refused more: its 'drain' listener is attached at that moment, never later. */
	private pending: Promise<void> | null = null;
	count = 0;
	private stream: WriteStream;
	constructor(file: string, header: string, bom = false) {
		this.stream = createWriteStream(file);
		if (bom) this.stream.write('\ufeff');
		if (header) this.stream.write(`${header}\n`);
	}
	push(line: string): void {
		// String concatenation builds a rope: far less garbage than an array of lines plus join.
		this.buf += line + '\n';
		this.count++;
		if (this.buf.length > 1 << 20) this.flush();
	}
	private flush(): void {
		if (!this.buf) return;
		if (!this.stream.write(this.buf) && !this.pending) {
			this.pending = new Promise<void>((r) => this.stream.once('drain', () => r()));
		}
		this.buf = '';
	}
	drained(): Promise<void> | null {
		const p = this.pending;
		this.pending = null;
		return p;
	}
	async close(): Promise<void> {
		this.flush();
		await new Promise<void>((r, j) => this.stream.end((e?: Error | null) => (e ? j(e) : r())));
	}
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function csvField(s: string): string {
	return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Export file names per entity (a shard inserts its number before the extension). */
const FILES = {
	accounts: 'crm_accounts.csv',
	contacts: 'crm_contacts.csv',
	activities: 'crm_activities.csv',
	orders: 'erp_orders.csv',
	lines: 'erp_order_lines.csv',
	subscriptions: 'erp_subscriptions.csv',
	invoices: 'erp_invoices.csv',
	payments: 'erp_payments.csv',
	tickets: 'service_tickets.jsonl',
	nps: 'survey_nps.csv',
	truth: 'truth.csv'
} as const;

interface Calendar {
	startDay: number;
	endDay: number;
	iso: (d: number) => string;
	slash: (d: number) => string;
	clock: (r: Random) => string;
	stamp: (ms: number) => string;
}

function calendar(end: string, years: number): Calendar {
	const endDay = Math.floor(Date.parse(`${end}T00:00:00Z`) / DAY_MS);
	if (!Number.isFinite(endDay)) throw new Error(`--end ${end} is not a date (YYYY-MM-DD)`);
	const startDay = endDay - Math.round(years * 365);
	// Date strings are precomputed per day: formatting is the generator's hottest path.
	const dayIso: string[] = [];
	const daySlash: string[] = [];
	for (let d = startDay - 400; d <= endDay + 400; d++) {
		const iso = new Date(d * DAY_MS).toISOString().slice(0, 10);
		dayIso.push(iso);
		daySlash.push(iso.replace(/-/g, '/'));
	}
	const iso = (d: number) => dayIso[d - startDay + 400]!;
	return {
		startDay,
		endDay,
		iso,
		slash: (d) => daySlash[d - startDay + 400]!,
		clock: (r) => `${two[r.int(8, 20)]}:${two[r.int(0, 59)]}:${two[r.int(0, 59)]}`,
		// Local wall-clock time (the export carries no zone; TENURE_TZ interprets it).
		stamp: (ms) => {
			const d = Math.floor(ms / DAY_MS);
			const s = Math.floor((ms - d * DAY_MS) / 1000);
			return `${iso(d)} ${two[Math.floor(s / 3600)]}:${two[Math.floor(s / 60) % 60]}:${two[s % 60]}`;
		}
	};
}

export interface ShardTask {
	opts: Omit<GenerateOptions, 'onProgress'>;
	csms: string[];
	shard: number;
	shards: number;
}

export interface ShardResult {
	counts: Record<string, number>;
	files: Record<string, string[]>;
}

/** Where each entity's rows go; with several shards each writes its own numbered file. */
function shardFile(name: string, shard: number, shards: number): string {
	if (shards === 1) return name;
	const dot = name.indexOf('.');
	return `${name.slice(0, dot)}-${shard + 1}${name.slice(dot)}`;
}

/**
 * Accounts shard, shard+shards, … with everything they generate. Each account draws from its own
 * seeded stream and its ids derive from the account number, so the data set is the same whatever
 * the number of shards.
 */
export async function generateShard(
	task: ShardTask,
	onProgress?: (done: number) => void
): Promise<ShardResult> {
	const { opts, csms, shard, shards } = task;
	const { startDay, endDay, iso, slash, clock, stamp } = calendar(opts.end, opts.years);
	const usageWeeks = opts.usageWeeks ?? 104;
	const name = (n: string) => shardFile(n, shard, shards);
	const f = (n: string) => path.join(opts.out, name(n));
	const products = PRODUCTS;
	const files = {
		accounts: new Lines(
			f('crm_accounts.csv'),
			'客户编号,客户名称,行业,区域,客户分级,获客渠道,负责人邮箱,上级客户,创建时间',
			true
		),
		contacts: new Lines(
			f('crm_contacts.csv'),
			'contact_id,account_id,name,email,phone,title,is_primary,created_at'
		),
		activities: new Lines(
			f('crm_activities.csv'),
			'activity_id,account_id,owner_email,activity_type,occurred_at,subject'
		),
		orders: new Lines(
			f('erp_orders.csv'),
			'order_id,account_id,ordered_at,status,currency,net_amount,channel'
		),
		lines: new Lines(
			f('erp_order_lines.csv'),
			'order_id,line_no,sku,quantity,unit_price,net_amount'
		),
		subscriptions: new Lines(
			f('erp_subscriptions.csv'),
			'subscription_id,account_id,plan,start_date,end_date,mrr,currency,renewal_status'
		),
		invoices: new Lines(
			f('erp_invoices.csv'),
			'invoice_id,account_id,order_id,issued_at,due_date,amount,currency,status'
		),
		payments: new Lines(f('erp_payments.csv'), 'payment_id,invoice_id,account_id,paid_at,amount'),
		tickets: new Lines(f('service_tickets.jsonl'), ''),
		nps: new Lines(
			f('survey_nps.csv'),
			'response_id,account_id,contact_id,survey_type,score,comment,responded_at'
		),
		truth: new Lines(
			f('truth.csv'),
			'account_id,model,segment,decline_started_at,churned_at,final_health'
		)
	};
	const writers = Object.values(files);
	const usage = new UsageWriter(opts.out, shards > 1 ? `-${shard + 1}` : '');
	const usageFrom = endDay - usageWeeks * 7;

	let done = 0;
	for (let a = shard + 1; a <= opts.accounts; a += shards) {
		const rnd = Random.forKey(opts.seed, a);
		const personName = () => rnd.pick(SURNAMES) + rnd.pick(GIVEN_NAMES);
		const acc = pad(a, 7);
		let seq = 0;
		const accountId = `A${acc}`;
		const segment = rnd.weighted([
			['enterprise', 0.12],
			['mid-market', 0.33],
			['smb', 0.55]
		] as const);
		const segFactor = segment === 'enterprise' ? 3 : segment === 'mid-market' ? 1.6 : 1;
		const model = rnd.chance(0.3) ? 'subscriptions' : 'orders';
		const industry = rnd.pick(INDUSTRIES);
		const city = rnd.pick(CITIES);
		const name = `${city.name}${rnd.pick(COMPANY_WORDS)}${rnd.pick(COMPANY_WORDS)}${industry.suffix}有限公司`;
		const owner = csms[(a * 7919) % csms.length]!;
		// Newer accounts are more common (the business grows).
		const created = startDay + Math.floor((endDay - 45 - startDay) * Math.sqrt(rnd.next()));
		const channel = rnd.pick(['referral', 'website', 'trade_show', 'partner', 'outbound']);
		const parent = a > 50 && rnd.chance(0.03) ? `A${pad(rnd.int(1, a - 1), 7)}` : '';
		files.accounts.push(
			[
				accountId,
				csvField(name),
				industry.name,
				city.region,
				segment,
				channel,
				owner,
				parent,
				`${slash(created)} ${clock(rnd).slice(0, 5)}`
			].join(',')
		);
		const contactCount = rnd.int(1, segment === 'enterprise' ? 5 : 3);
		for (let c = 1; c <= contactCount; c++) {
			files.contacts.push(
				[
					`${accountId}-C${c}`,
					accountId,
					personName(),
					`c${c}.${accountId.toLowerCase()}@example.cn`,
					`13${pad(rnd.int(0, 999999999), 9)}`,
					rnd.pick(['采购经理', '总经理', '运营总监', 'IT 主管', '财务']),
					c === 1 ? 1 : 0,
					`${iso(created)} 10:00:00`
				].join(',')
			);
		}

		// Latent health process, one step a month.
		let h = Math.min(0.98, Math.max(0.35, rnd.normal(0.75, 0.12)));
		let declining = false;
		let declineStart = -1;
		let churnDay = -1;
		const declineHazard =
			segment === 'enterprise' ? 0.012 : segment === 'mid-market' ? 0.022 : 0.032;
		const baseRate =
			(opts.orderRate ?? 1) *
			(segment === 'enterprise' ? 1.5 : segment === 'mid-market' ? 1.0 : 0.7) *
			(model === 'orders' ? 1 : 0.25);
		const seats = Math.round(segFactor * rnd.int(5, 40));
		const mrr = Math.round(segFactor * rnd.int(8, 30)) * 100;
		let subSeq = 0;
		let subStart = created;
		let lastTermEnd = -1;
		for (let m = created; m < endDay; m += 30) {
			const monthEnd = Math.min(m + 30, endDay);
			if (!declining && rnd.chance(declineHazard)) {
				declining = true;
				declineStart = m + rnd.int(0, 29);
			} else if (declining && rnd.chance(0.05)) {
				declining = false; // some decliners are saved
			}
			h += declining ? -(0.04 + rnd.next() * 0.08) : rnd.normal(0.01 * (0.75 - h) * 4, 0.03);
			h = Math.min(1, Math.max(0.02, h));
			if (declining && h < 0.18 && churnDay < 0) churnDay = m + rnd.int(0, 29);
			const alive = churnDay < 0 || m < churnDay;

			// Orders: fewer as health falls, none after churn.
			if (alive) {
				const n = rnd.poisson(baseRate * Math.pow(0.25 + h, 1.6));
				for (let k = 0; k < n; k++) {
					const day = m + rnd.int(0, monthEnd - m - 1 < 0 ? 0 : monthEnd - m - 1);
					if (day >= endDay || (churnDay >= 0 && day >= churnDay)) continue;
					const orderId = `SO${acc}${pad(++seq, 4)}`;
					const status = rnd.weighted([
						['completed', 0.9],
						['shipped', 0.03],
						['paid', 0.02],
						['cancelled', 0.03],
						['refunded', 0.02]
					] as const);
					const primary = rnd.weighted(products.map((p) => [p, p.weight] as const));
					const chosen = [primary];
					for (const sku of primary.companions) {
						if (rnd.chance(0.45)) chosen.push(products.find((p) => p.sku === sku)!);
					}
					const extra = rnd.poisson(1.0);
					for (let e = 0; e < extra; e++) chosen.push(rnd.pick(products));
					let total = 0;
					for (let li = 0; li < chosen.length; li++) {
						const p = chosen[li]!;
						const qty = Math.max(1, Math.round(segFactor * rnd.int(1, p.maxQty)));
						const price = Math.round(p.price * (0.85 + rnd.next() * 0.2) * 100) / 100;
						const amount = Math.round(qty * price * 100) / 100;
						total += amount;
						files.lines.push(
							`${orderId},${li + 1},${p.sku},${qty},${price.toFixed(2)},${amount.toFixed(2)}`
						);
					}
					files.orders.push(
						`${orderId},${accountId},${iso(day)} ${clock(rnd)},${status},CNY,${total.toFixed(2)},${rnd.pick(['direct', 'distributor', 'online'])}`
					);
				}
			}

			// Subscription terms are annual; a term ending while health is low is not renewed.
			if (model === 'subscriptions' && m >= subStart && lastTermEnd < m) {
				const termEnd = subStart + 365;
				subSeq++;
				const subId = `${accountId}-S${subSeq}`;
				const ends = termEnd <= endDay;
				const renew = alive && ends && h >= 0.3 && (churnDay < 0 || termEnd < churnDay);
				const status = !ends ? 'active' : renew ? 'renewed' : 'cancelled';
				if (ends && !renew && churnDay < 0) churnDay = termEnd;
				files.subscriptions.push(
					`${subId},${accountId},${segment === 'enterprise' ? '企业版' : segment === 'mid-market' ? '专业版' : '标准版'},${iso(subStart)},${iso(termEnd)},${mrr}.00,CNY,${status}`
				);
				// Quarterly invoices; payment delay grows as health falls.
				for (let q = 0; q < 4; q++) {
					const issued = subStart + q * 91;
					if (issued >= endDay) break;
					const invoiceNo = `${acc}${pad(++seq, 4)}`;
					const invoiceId = `INV${invoiceNo}`;
					const due = issued + 30;
					const amount = `${mrr * 3}.00`;
					const delay = Math.max(0, Math.round(rnd.normal(3 + 70 * Math.pow(1 - h, 2), 6)));
					const paid = due + delay - 20;
					const isPaid = paid < endDay;
					files.invoices.push(
						`${invoiceId},${accountId},,${iso(issued)},${iso(due)},${amount},CNY,${isPaid ? 'paid' : 'open'}`
					);
					if (isPaid) {
						files.payments.push(
							`PAY${invoiceNo},${invoiceId},${accountId},${iso(Math.max(issued, paid))},${amount}`
						);
					}
				}
				lastTermEnd = termEnd;
				subStart = termEnd;
				if (!renew) subStart = Number.MAX_SAFE_INTEGER;
			}

			if (!alive && m > churnDay + 60) continue;
			// Tickets: more, more urgent, angrier and slower as health falls.
			const nt = rnd.poisson((0.08 + 0.5 * (1 - h)) * Math.sqrt(segFactor));
			for (let k = 0; k < nt; k++) {
				const created2 = (m + rnd.int(0, 29)) * DAY_MS + rnd.int(8 * 3600, 20 * 3600) * 1000;
				if (created2 >= endDay * DAY_MS) continue;
				const priority = rnd.weighted([
					['urgent', 0.04 + 0.08 * (1 - h)],
					['high', 0.16],
					['normal', 0.55],
					['low', 0.25]
				] as const);
				const targetH = { urgent: 1, high: 4, normal: 24, low: 48 }[priority];
				const firstH = targetH * Math.exp(rnd.normal(-0.8 + 1.6 * (1 - h), 0.6));
				const firstAt = created2 + Math.round(firstH * 3600_000);
				const resolvedAt =
					firstAt + Math.round(targetH * 3 * Math.exp(rnd.normal(0, 0.7)) * 3600_000);
				const open = resolvedAt >= endDay * DAY_MS;
				const complaint = rnd.chance(0.04 + 0.3 * Math.pow(1 - h, 2));
				const sentiment = Math.max(-1, Math.min(1, 2 * h - 1 + rnd.normal(0, 0.3)));
				files.tickets.push(
					JSON.stringify({
						ticket_id: `T${acc}${pad(++seq, 4)}`,
						account_id: accountId,
						contact_id: `${accountId}-C1`,
						created_at: stamp(created2),
						first_response_at: firstAt < endDay * DAY_MS ? stamp(firstAt) : null,
						resolved_at: open ? null : stamp(resolvedAt),
						priority,
						channel: rnd.pick(['phone', 'email', 'web', 'wecom']),
						category: rnd.pick(['billing', 'delivery', 'quality', 'usage', 'account']),
						ticket_type: complaint ? 'complaint' : rnd.pick(['question', 'incident', 'request']),
						status: open ? 'open' : 'closed',
						csat:
							!open && rnd.chance(0.5)
								? Math.max(1, Math.min(5, Math.round(1 + 4 * h + rnd.normal(0, 0.7))))
								: null,
						sentiment: Math.round(sentiment * 100) / 100,
						agent_interactions: 1 + rnd.poisson(0.6 + 2 * (1 - h)),
						reopened: rnd.chance(0.04 + 0.2 * (1 - h)) ? 1 : 0
					})
				);
			}
			if (!alive) continue;
			// NPS: a survey each quarter, answered by about a third of accounts.
			if (Math.floor((m - startDay) / 30) % 3 === 0 && rnd.chance(0.35)) {
				const score = Math.max(0, Math.min(10, Math.round(10.5 * h + rnd.normal(0, 1.3) - 0.3)));
				const day = m + rnd.int(0, 27);
				if (day < endDay) {
					const comment = rnd.chance(0.4)
						? csvField(
								rnd.pick(
									NPS_COMMENTS[score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor']
								)
							)
						: '';
					files.nps.push(
						`R${acc}${pad(++seq, 4)},${accountId},${accountId}-C1,nps,${score},${comment},${iso(day)} ${clock(rnd)}`
					);
				}
			}
			// Owner touches.
			const na = rnd.poisson(0.8);
			for (let k = 0; k < na; k++) {
				const day = m + rnd.int(0, 29);
				if (day >= endDay) continue;
				files.activities.push(
					`ACT${acc}${pad(++seq, 4)},${accountId},${owner},${rnd.pick(['call', 'email', 'meeting', 'wecom', 'visit'])},${iso(day)} ${clock(rnd)},${rnd.pick(['季度回访', '续约沟通', '问题跟进', '新品介绍', '培训安排'])}`
				);
			}
			// Weekly product usage for subscription customers.
			if (model === 'subscriptions') {
				// Mondays (day 4 since 1970-01-01, a Thursday) in [m, monthEnd): each week once.
				for (let w = m + ((((4 - m) % 7) + 7) % 7); w < monthEnd; w += 7) {
					if (w < usageFrom || w < created || w >= endDay) continue;
					const users = Math.max(0, Math.round(seats * h * (0.8 + rnd.next() * 0.3)));
					usage.push(
						accountId,
						iso(w),
						users,
						Math.round(users * 25 * h * (0.7 + rnd.next() * 0.6))
					);
				}
			}
		}
		files.truth.push(
			`${accountId},${model},${segment},${declineStart >= 0 ? iso(declineStart) : ''},${churnDay >= 0 && churnDay < endDay ? iso(churnDay) : ''},${h.toFixed(3)}`
		);
		for (const w of writers) {
			const wait = w.drained();
			if (wait) await wait;
		}
		if (++done % 5000 === 0) onProgress?.(done);
	}
	for (const w of writers) await w.close();
	const usageFiles = usage.close();
	onProgress?.(done);
	const counts: Record<string, number> = { usage_daily: usage.total };
	for (const [k, w] of Object.entries(files)) counts[k] = w.count;
	const fileNames: Record<string, string[]> = { usage_daily: usageFiles };
	for (const [k, file] of Object.entries(FILES)) fileNames[k] = [name(file)];
	return { counts, files: fileNames };
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
	const t0 = Date.now();
	const rnd = new Random(opts.seed);
	mkdirSync(opts.out, { recursive: true });
	const f = (name: string) => path.join(opts.out, name);
	calendar(opts.end, opts.years); // validates --end before any work

	// Owners: CSMs in teams, each team with a manager.
	const csmCount = Math.max(6, Math.round(opts.accounts / 120));
	const teamCount = Math.max(1, Math.ceil(csmCount / 6));
	const owners = new Lines(f('crm_owners.csv'), '负责人邮箱,姓名,团队,主管邮箱', true);
	const csms: string[] = [];
	const personName = () => rnd.pick(SURNAMES) + rnd.pick(GIVEN_NAMES);
	for (let t = 0; t < teamCount; t++) {
		const team =
			TEAMS[t % TEAMS.length]! +
			(t >= TEAMS.length ? String(Math.floor(t / TEAMS.length) + 1) : '');
		const manager = `manager${pad(t + 1, 3)}@demo.tenure.local`;
		owners.push(`${manager},${personName()},${team},`);
		for (let i = 0; i < 6 && csms.length < csmCount; i++) {
			const email = `csm${pad(csms.length + 1, 4)}@demo.tenure.local`;
			csms.push(email);
			owners.push(`${email},${personName()},${team},${manager}`);
		}
	}
	await owners.close();
	const catalog = new Lines(f('erp_products.csv'), 'sku,name,category,list_price,unit_cost');
	for (const p of PRODUCTS) {
		catalog.push(
			`${p.sku},${p.name},${p.category},${p.price.toFixed(2)},${(p.price * p.costRatio).toFixed(2)}`
		);
	}
	await catalog.close();

	const shards = Math.max(1, opts.shards ?? 1);
	const { onProgress, ...plain } = opts;
	const tasks = Array.from({ length: shards }, (_, shard) => ({
		opts: plain,
		csms,
		shard,
		shards
	}));
	const progress = new Array<number>(shards).fill(0);
	const report = (shard: number, done: number) => {
		progress[shard] = done;
		onProgress?.(
			progress.reduce((a, b) => a + b, 0),
			opts.accounts
		);
	};
	const results =
		shards === 1
			? [await generateShard(tasks[0]!, (d) => report(0, d))]
			: await Promise.all(tasks.map((t) => runShardProcess(t, (d) => report(t.shard, d))));

	const counts: Record<string, number> = { owners: owners.count, products: PRODUCTS.length };
	const files: Record<string, string[]> = {};
	for (const r of results) {
		for (const [k, n] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + n;
		for (const [k, list] of Object.entries(r.files)) files[k] = [...(files[k] ?? []), ...list];
	}
	writeMappings(opts.out, files);
	return { files: counts, seconds: (Date.now() - t0) / 1000 };
}

/** One shard in a child process: both cores work, and each process has its own heap and GC. */
function runShardProcess(
	task: ShardTask,
	onProgress: (done: number) => void
): Promise<ShardResult> {
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
	return new Promise((resolve, reject) => {
		const child = fork(
			path.join(root, 'bin', 'run.mjs'),
			[path.join(root, 'ingest', 'demo', 'shard-process.ts')],
			{
				// A larger young generation: the generator makes many short-lived strings.
				execArgv: ['--max-semi-space-size=32'],
				stdio: ['ignore', 'inherit', 'inherit', 'ipc']
			}
		);
		let settled = false;
		child.on('message', (m: { done?: number; result?: ShardResult; error?: string }) => {
			if (m.done !== undefined) onProgress(m.done);
			if (m.result && !settled) {
				settled = true;
				resolve(m.result);
			}
			if (m.error && !settled) {
				settled = true;
				reject(new Error(m.error));
			}
		});
		// The last IPC message can be emitted after 'close'; give it a moment before calling the
		// shard lost.
		child.on('close', (code) =>
			setTimeout(() => {
				if (settled) return;
				settled = true;
				reject(
					new Error(
						`generator shard ${task.shard + 1} stopped (exit code ${code}) without a result`
					)
				);
			}, 1000)
		);
		child.send(task);
	});
}

const two = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** Weekly usage snapshots in Parquet, a file per 500k rows so memory stays bounded. */
class UsageWriter {
	private ids: string[] = [];
	private days: string[] = [];
	private users: number[] = [];
	private events: number[] = [];
	total = 0;
	private parts: string[] = [];
	constructor(
		private dir: string,
		private suffix: string
	) {}
	push(id: string, day: string, users: number, events: number): void {
		this.ids.push(id);
		this.days.push(day);
		this.users.push(users);
		this.events.push(events);
		this.total++;
		if (this.ids.length >= 500_000) this.flush();
	}
	private flush(): void {
		if (!this.ids.length) return;
		const name = `product_usage${this.suffix}_${String(this.parts.length + 1).padStart(3, '0')}.parquet`;
		parquetWriteFile({
			filename: path.join(this.dir, name),
			columnData: [
				{ name: 'account_id', data: this.ids, type: 'STRING' },
				{ name: 'day', data: this.days, type: 'STRING' },
				{ name: 'active_users', data: this.users, type: 'INT32' },
				{ name: 'key_events', data: this.events, type: 'INT32' }
			]
		});
		this.parts.push(name);
		this.ids = [];
		this.days = [];
		this.users = [];
		this.events = [];
	}
	close(): string[] {
		this.flush();
		return this.parts;
	}
}

function writeMappings(out: string, files: Record<string, string[]>): void {
	const json = (name: string, value: unknown) =>
		writeFileSync(path.join(out, name), `${JSON.stringify(value, null, 2)}\n`);
	json('crm_accounts.mapping.json', {
		entity: 'accounts',
		columns: {
			客户编号: 'account_id',
			客户名称: 'name',
			行业: 'industry',
			区域: 'region',
			客户分级: 'segment',
			获客渠道: 'acquisition_channel',
			负责人邮箱: 'owner_email',
			上级客户: 'parent_account_id',
			创建时间: { to: 'created_at', format: '%Y/%m/%d %H:%i' }
		}
	});
	json('crm_owners.mapping.json', {
		entity: 'owners',
		columns: { 负责人邮箱: 'owner_email', 姓名: 'name', 团队: 'team', 主管邮箱: 'manager_email' }
	});
	const entry = (key: string, entity: string, extra: object = {}) =>
		(files[key] ?? []).map((file) => ({ file, entity, ...extra }));
	const manifest = [
		{
			file: 'crm_owners.csv',
			entity: 'owners',
			mapping: 'crm_owners.mapping.json',
			mode: 'snapshot'
		},
		...entry('accounts', 'accounts', { mapping: 'crm_accounts.mapping.json' }),
		...entry('contacts', 'contacts'),
		...entry('activities', 'activities'),
		{ file: 'erp_products.csv', entity: 'products', mode: 'snapshot' },
		...entry('orders', 'orders'),
		...entry('lines', 'order_lines'),
		...entry('subscriptions', 'subscriptions'),
		...entry('invoices', 'invoices'),
		...entry('payments', 'payments'),
		...entry('tickets', 'tickets'),
		...entry('nps', 'survey_responses'),
		...entry('usage_daily', 'usage_daily')
	];
	json('manifest.json', { files: manifest });
}
