import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { Random } from './random.ts';
import { COMPANY_WORDS, CITIES, GIVEN_NAMES, INDUSTRIES, NPS_COMMENTS, PRODUCTS, REGIONS, SURNAMES, TEAMS } from './vocabulary.ts';

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
	onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
	files: Record<string, number>;
	seconds: number;
}

const DAY_MS = 86_400_000;

/** Buffered line writer: large chunks, honours back-pressure, so memory stays flat at any scale. */
class Lines {
	private buf: string[] = [];
	private size = 0;
	count = 0;
	private stream: WriteStream;
	constructor(file: string, header: string, bom = false) {
		this.stream = createWriteStream(file);
		if (bom) this.stream.write('\ufeff');
		if (header) this.stream.write(`${header}\n`);
	}
	async push(line: string): Promise<void> {
		this.buf.push(line);
		this.size += line.length;
		this.count++;
		if (this.size > 1 << 20) await this.flush();
	}
	private async flush(): Promise<void> {
		if (!this.buf.length) return;
		const ok = this.stream.write(`${this.buf.join('\n')}\n`);
		this.buf = [];
		this.size = 0;
		if (!ok) await new Promise<void>((r) => this.stream.once('drain', () => r()));
	}
	async close(): Promise<void> {
		await this.flush();
		await new Promise<void>((r, j) => this.stream.end((e?: Error | null) => (e ? j(e) : r())));
	}
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function csvField(s: string): string {
	return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
	const t0 = Date.now();
	const rnd = new Random(opts.seed);
	mkdirSync(opts.out, { recursive: true });
	const f = (name: string) => path.join(opts.out, name);
	const endDay = Math.floor(Date.parse(`${opts.end}T00:00:00Z`) / DAY_MS);
	if (!Number.isFinite(endDay)) throw new Error(`--end ${opts.end} is not a date (YYYY-MM-DD)`);
	const startDay = endDay - Math.round(opts.years * 365);
	const usageWeeks = opts.usageWeeks ?? 104;

	// Date strings are precomputed per day: formatting is the generator's hottest path.
	const dayIso: string[] = [];
	const daySlash: string[] = [];
	for (let d = startDay - 400; d <= endDay + 400; d++) {
		const iso = new Date(d * DAY_MS).toISOString().slice(0, 10);
		dayIso.push(iso);
		daySlash.push(iso.replace(/-/g, '/'));
	}
	const iso = (d: number) => dayIso[d - startDay + 400]!;
	const slash = (d: number) => daySlash[d - startDay + 400]!;
	const clock = (r: Random) => `${pad(r.int(8, 20), 2)}:${pad(r.int(0, 59), 2)}:${pad(r.int(0, 59), 2)}`;

	// Owners: CSMs in teams, each team with a manager.
	const csmCount = Math.max(6, Math.round(opts.accounts / 120));
	const teamCount = Math.max(1, Math.ceil(csmCount / 6));
	const owners = new Lines(f('crm_owners.csv'), '负责人邮箱,姓名,团队,主管邮箱', true);
	const csms: string[] = [];
	const personName = () => rnd.pick(SURNAMES) + rnd.pick(GIVEN_NAMES);
	for (let t = 0; t < teamCount; t++) {
		const team = TEAMS[t % TEAMS.length]! + (t >= TEAMS.length ? String(Math.floor(t / TEAMS.length) + 1) : '');
		const manager = `manager${pad(t + 1, 3)}@demo.tenure.local`;
		await owners.push(`${manager},${personName()},${team},`);
		for (let i = 0; i < 6 && csms.length < csmCount; i++) {
			const email = `csm${pad(csms.length + 1, 4)}@demo.tenure.local`;
			csms.push(email);
			await owners.push(`${email},${personName()},${team},${manager}`);
		}
	}

	const products = PRODUCTS;
	const files = {
		accounts: new Lines(f('crm_accounts.csv'), '客户编号,客户名称,行业,区域,客户分级,获客渠道,负责人邮箱,上级客户,创建时间', true),
		contacts: new Lines(f('crm_contacts.csv'), 'contact_id,account_id,name,email,phone,title,is_primary,created_at'),
		activities: new Lines(f('crm_activities.csv'), 'activity_id,account_id,owner_email,activity_type,occurred_at,subject'),
		orders: new Lines(f('erp_orders.csv'), 'order_id,account_id,ordered_at,status,currency,net_amount,channel'),
		lines: new Lines(f('erp_order_lines.csv'), 'order_id,line_no,sku,quantity,unit_price,net_amount'),
		subscriptions: new Lines(f('erp_subscriptions.csv'), 'subscription_id,account_id,plan,start_date,end_date,mrr,currency,renewal_status'),
		invoices: new Lines(f('erp_invoices.csv'), 'invoice_id,account_id,order_id,issued_at,due_date,amount,currency,status'),
		payments: new Lines(f('erp_payments.csv'), 'payment_id,invoice_id,account_id,paid_at,amount'),
		tickets: new Lines(f('service_tickets.jsonl'), ''),
		nps: new Lines(f('survey_nps.csv'), 'response_id,account_id,contact_id,survey_type,score,comment,responded_at'),
		truth: new Lines(f('truth.csv'), 'account_id,model,segment,decline_started_at,churned_at,final_health')
	};
	const usage = new UsageWriter(opts.out);
	const usageFrom = endDay - usageWeeks * 7;

	let orderSeq = 0;
	let ticketSeq = 0;
	let npsSeq = 0;
	let invoiceSeq = 0;
	let activitySeq = 0;

	for (let a = 1; a <= opts.accounts; a++) {
		const accountId = `A${pad(a, 7)}`;
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
		await files.accounts.push(
			[accountId, csvField(name), industry.name, city.region, segment, channel, owner, parent, `${slash(created)} ${clock(rnd).slice(0, 5)}`].join(',')
		);
		const contactCount = rnd.int(1, segment === 'enterprise' ? 5 : 3);
		for (let c = 1; c <= contactCount; c++) {
			await files.contacts.push(
				[`${accountId}-C${c}`, accountId, personName(), `c${c}.${accountId.toLowerCase()}@example.cn`, `13${pad(rnd.int(0, 999999999), 9)}`, rnd.pick(['采购经理', '总经理', '运营总监', 'IT 主管', '财务']), c === 1 ? 1 : 0, `${iso(created)} 10:00:00`].join(',')
			);
		}

		// Latent health process, one step a month.
		let h = Math.min(0.98, Math.max(0.35, rnd.normal(0.75, 0.12)));
		let declining = false;
		let declineStart = -1;
		let churnDay = -1;
		const declineHazard = segment === 'enterprise' ? 0.006 : segment === 'mid-market' ? 0.01 : 0.014;
		const baseRate = (segment === 'enterprise' ? 0.75 : segment === 'mid-market' ? 0.45 : 0.3) * (model === 'orders' ? 1 : 0.25);
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
			} else if (declining && rnd.chance(0.08)) {
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
					orderSeq++;
					const orderId = `SO${pad(orderSeq, 9)}`;
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
					const extra = rnd.poisson(0.7);
					for (let e = 0; e < extra; e++) chosen.push(rnd.pick(products));
					let total = 0;
					for (let li = 0; li < chosen.length; li++) {
						const p = chosen[li]!;
						const qty = Math.max(1, Math.round(segFactor * rnd.int(1, p.maxQty)));
						const price = Math.round(p.price * (0.85 + rnd.next() * 0.2) * 100) / 100;
						const amount = Math.round(qty * price * 100) / 100;
						total += amount;
						await files.lines.push(`${orderId},${li + 1},${p.sku},${qty},${price.toFixed(2)},${amount.toFixed(2)}`);
					}
					await files.orders.push(`${orderId},${accountId},${iso(day)} ${clock(rnd)},${status},CNY,${total.toFixed(2)},${rnd.pick(['direct', 'distributor', 'online'])}`);
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
				await files.subscriptions.push(`${subId},${accountId},${segment === 'enterprise' ? '企业版' : segment === 'mid-market' ? '专业版' : '标准版'},${iso(subStart)},${iso(termEnd)},${mrr}.00,CNY,${status}`);
				// Quarterly invoices; payment delay grows as health falls.
				for (let q = 0; q < 4; q++) {
					const issued = subStart + q * 91;
					if (issued >= endDay) break;
					invoiceSeq++;
					const invoiceId = `INV${pad(invoiceSeq, 9)}`;
					const due = issued + 30;
					const amount = `${mrr * 3}.00`;
					const delay = Math.max(0, Math.round(rnd.normal(3 + 70 * Math.pow(1 - h, 2), 6)));
					const paid = due + delay - 20;
					const isPaid = paid < endDay;
					await files.invoices.push(`${invoiceId},${accountId},,${iso(issued)},${iso(due)},${amount},CNY,${isPaid ? 'paid' : 'open'}`);
					if (isPaid) await files.payments.push(`PAY${pad(invoiceSeq, 9)},${invoiceId},${accountId},${iso(Math.max(issued, paid))},${amount}`);
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
				ticketSeq++;
				const priority = rnd.weighted([
					['urgent', 0.04 + 0.08 * (1 - h)],
					['high', 0.16],
					['normal', 0.55],
					['low', 0.25]
				] as const);
				const targetH = { urgent: 1, high: 4, normal: 24, low: 48 }[priority];
				const firstH = targetH * Math.exp(rnd.normal(-0.8 + 1.6 * (1 - h), 0.6));
				const firstAt = created2 + Math.round(firstH * 3600_000);
				const resolvedAt = firstAt + Math.round(targetH * 3 * Math.exp(rnd.normal(0, 0.7)) * 3600_000);
				const open = resolvedAt >= endDay * DAY_MS;
				const complaint = rnd.chance(0.04 + 0.3 * Math.pow(1 - h, 2));
				const sentiment = Math.max(-1, Math.min(1, 2 * h - 1 + rnd.normal(0, 0.3)));
				await files.tickets.push(
					JSON.stringify({
						ticket_id: `T${pad(ticketSeq, 9)}`,
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
						csat: !open && rnd.chance(0.5) ? Math.max(1, Math.min(5, Math.round(1 + 4 * h + rnd.normal(0, 0.7)))) : null,
						sentiment: Math.round(sentiment * 100) / 100,
						agent_interactions: 1 + rnd.poisson(0.6 + 2 * (1 - h)),
						reopened: rnd.chance(0.04 + 0.2 * (1 - h)) ? 1 : 0
					})
				);
			}
			if (!alive) continue;
			// NPS: a survey each quarter, answered by about a third of accounts.
			if (Math.floor((m - startDay) / 30) % 3 === 0 && rnd.chance(0.35)) {
				npsSeq++;
				const score = Math.max(0, Math.min(10, Math.round(10.5 * h + rnd.normal(0, 1.3) - 0.3)));
				const day = m + rnd.int(0, 27);
				if (day < endDay) {
					const comment = rnd.chance(0.4) ? csvField(rnd.pick(NPS_COMMENTS[score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'])) : '';
					await files.nps.push(`R${pad(npsSeq, 9)},${accountId},${accountId}-C1,nps,${score},${comment},${iso(day)} ${clock(rnd)}`);
				}
			}
			// Owner touches.
			const na = rnd.poisson(0.8);
			for (let k = 0; k < na; k++) {
				activitySeq++;
				const day = m + rnd.int(0, 29);
				if (day >= endDay) continue;
				await files.activities.push(`ACT${pad(activitySeq, 9)},${accountId},${owner},${rnd.pick(['call', 'email', 'meeting', 'wecom', 'visit'])},${iso(day)} ${clock(rnd)},${rnd.pick(['季度回访', '续约沟通', '问题跟进', '新品介绍', '培训安排'])}`);
			}
			// Weekly product usage for subscription customers.
			if (model === 'subscriptions') {
				// Mondays (day 4 since 1970-01-01, a Thursday) in [m, monthEnd): each week once.
				for (let w = m + ((((4 - m) % 7) + 7) % 7); w < monthEnd; w += 7) {
					if (w < usageFrom || w < created || w >= endDay) continue;
					const users = Math.max(0, Math.round(seats * h * (0.8 + rnd.next() * 0.3)));
					usage.push(accountId, iso(w), users, Math.round(users * 25 * h * (0.7 + rnd.next() * 0.6)));
				}
			}
		}
		await files.truth.push(`${accountId},${model},${segment},${declineStart >= 0 ? iso(declineStart) : ''},${churnDay >= 0 && churnDay < endDay ? iso(churnDay) : ''},${h.toFixed(3)}`);
		if (a % 5000 === 0) opts.onProgress?.(a, opts.accounts);
	}
	const catalog = new Lines(f('erp_products.csv'), 'sku,name,category,list_price,unit_cost');
	for (const p of products) await catalog.push(`${p.sku},${p.name},${p.category},${p.price.toFixed(2)},${(p.price * p.costRatio).toFixed(2)}`);
	await catalog.close();
	await owners.close();
	for (const w of Object.values(files)) await w.close();
	const usageFiles = usage.close();
	writeMappings(opts.out, usageFiles);
	opts.onProgress?.(opts.accounts, opts.accounts);
	const counts: Record<string, number> = { owners: owners.count, products: products.length, usage_daily: usage.total };
	for (const [k, w] of Object.entries(files)) counts[k] = w.count;
	return { files: counts, seconds: (Date.now() - t0) / 1000 };
}

function stamp(ms: number): string {
	// Local wall-clock time (the export carries no zone; TENURE_TZ interprets it).
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Weekly usage snapshots in Parquet, flushed every 2M rows so memory stays bounded. */
class UsageWriter {
	private ids: string[] = [];
	private days: string[] = [];
	private users: number[] = [];
	private events: number[] = [];
	total = 0;
	private parts: string[] = [];
	constructor(private dir: string) {}
	push(id: string, day: string, users: number, events: number): void {
		this.ids.push(id);
		this.days.push(day);
		this.users.push(users);
		this.events.push(events);
		this.total++;
		if (this.ids.length >= 2_000_000) this.flush();
	}
	private flush(): void {
		if (!this.ids.length) return;
		const name = `product_usage_${String(this.parts.length + 1).padStart(3, '0')}.parquet`;
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

function writeMappings(out: string, usageFiles: string[]): void {
	const json = (name: string, value: unknown) => writeFileSync(path.join(out, name), `${JSON.stringify(value, null, 2)}\n`);
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
	const files = [
		{ file: 'crm_owners.csv', entity: 'owners', mapping: 'crm_owners.mapping.json', mode: 'snapshot' },
		{ file: 'crm_accounts.csv', entity: 'accounts', mapping: 'crm_accounts.mapping.json' },
		{ file: 'crm_contacts.csv', entity: 'contacts' },
		{ file: 'crm_activities.csv', entity: 'activities' },
		{ file: 'erp_products.csv', entity: 'products', mode: 'snapshot' },
		{ file: 'erp_orders.csv', entity: 'orders' },
		{ file: 'erp_order_lines.csv', entity: 'order_lines' },
		{ file: 'erp_subscriptions.csv', entity: 'subscriptions' },
		{ file: 'erp_invoices.csv', entity: 'invoices' },
		{ file: 'erp_payments.csv', entity: 'payments' },
		{ file: 'service_tickets.jsonl', entity: 'tickets' },
		{ file: 'survey_nps.csv', entity: 'survey_responses' },
		...usageFiles.map((file) => ({ file, entity: 'usage_daily' }))
	];
	json('manifest.json', { files });
}
