/**
 * Entity schemas: what a source file may load into. Each entity is one core table (see
 * sql/migrations); `order_lines_flat` is the ERP export with one row per order line and the order's
 * fields repeated on every line, which loads as orders plus order lines.
 */

export type ColumnType =
	| 'string'
	| 'datetime'
	| 'date'
	| 'money'
	| 'quantity'
	| 'uint8'
	| 'uint16'
	| 'uint32'
	| 'score'
	| 'bool';

export interface ColumnDef {
	name: string;
	type: ColumnType;
	required?: boolean;
	/** Stored as Nullable: an empty source value stays "unknown" instead of a default. */
	nullable?: boolean;
	/** Allowed values after value mapping (lower-case). */
	values?: readonly string[];
	min?: number;
	max?: number;
	/** Must name an existing row of another entity (checked against the core table). */
	ref?: { entity: string; column: string };
}

export interface EntityDef {
	name: string;
	table: string;
	key: readonly string[];
	columns: readonly ColumnDef[];
	/** Entities that must be loaded first (for `--dir`: references resolve). */
	dependsOn: readonly string[];
}

const id = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
	name,
	type: 'string',
	required: true,
	...extra
});
const text = (name: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
	name,
	type: 'string',
	...extra
});
const accountRef = (): ColumnDef =>
	id('account_id', { ref: { entity: 'accounts', column: 'account_id' } });

export const ORDER_STATUSES = [
	'paid',
	'shipped',
	'completed',
	'cancelled',
	'refunded',
	'pending'
] as const;
export const REVENUE_STATUSES = ['paid', 'shipped', 'completed'] as const;

const ENTITY_LIST: EntityDef[] = [
	{
		name: 'owners',
		table: 'owners',
		key: ['owner_email'],
		dependsOn: [],
		columns: [id('owner_email'), text('name'), text('team'), text('manager_email')]
	},
	{
		name: 'accounts',
		table: 'accounts',
		key: ['account_id'],
		dependsOn: ['owners'],
		columns: [
			id('account_id'),
			id('name'),
			text('industry'),
			text('region'),
			text('segment'),
			text('acquisition_channel'),
			text('owner_email'),
			text('parent_account_id'),
			{ name: 'created_at', type: 'datetime', required: true }
		]
	},
	{
		name: 'contacts',
		table: 'contacts',
		key: ['contact_id'],
		dependsOn: ['accounts'],
		columns: [
			id('contact_id'),
			accountRef(),
			text('name'),
			text('email'),
			text('phone'),
			text('title'),
			{ name: 'is_primary', type: 'bool' },
			{ name: 'created_at', type: 'datetime' }
		]
	},
	{
		name: 'activities',
		table: 'activities',
		key: ['activity_id'],
		dependsOn: ['accounts'],
		columns: [
			id('activity_id'),
			accountRef(),
			text('owner_email'),
			id('activity_type', { values: ['call', 'email', 'meeting', 'wecom', 'visit', 'other'] }),
			{ name: 'occurred_at', type: 'datetime', required: true },
			text('subject')
		]
	},
	{
		name: 'products',
		table: 'products',
		key: ['sku'],
		dependsOn: [],
		columns: [
			id('sku'),
			id('name'),
			text('category'),
			{ name: 'list_price', type: 'money', min: 0 },
			{ name: 'unit_cost', type: 'money', min: 0 }
		]
	},
	{
		name: 'orders',
		table: 'orders',
		key: ['order_id'],
		dependsOn: ['accounts'],
		columns: [
			id('order_id'),
			accountRef(),
			{ name: 'ordered_at', type: 'datetime', required: true },
			id('status', { values: ORDER_STATUSES }),
			id('currency'),
			{ name: 'net_amount', type: 'money', required: true },
			text('channel')
		]
	},
	{
		name: 'order_lines',
		table: 'order_lines',
		key: ['order_id', 'line_no'],
		dependsOn: ['orders', 'products'],
		columns: [
			id('order_id', { ref: { entity: 'orders', column: 'order_id' } }),
			{ name: 'line_no', type: 'uint32', required: true },
			id('sku'),
			{ name: 'quantity', type: 'quantity', required: true },
			{ name: 'unit_price', type: 'quantity' },
			{ name: 'net_amount', type: 'money', required: true }
		]
	},
	{
		name: 'invoices',
		table: 'invoices',
		key: ['invoice_id'],
		dependsOn: ['accounts'],
		columns: [
			id('invoice_id'),
			accountRef(),
			text('order_id'),
			{ name: 'issued_at', type: 'date', required: true },
			{ name: 'due_date', type: 'date', required: true },
			{ name: 'amount', type: 'money', required: true },
			id('currency'),
			id('status', { values: ['open', 'paid', 'partially_paid', 'void'] })
		]
	},
	{
		name: 'payments',
		table: 'payments',
		key: ['payment_id'],
		dependsOn: ['invoices'],
		columns: [
			id('payment_id'),
			id('invoice_id', { ref: { entity: 'invoices', column: 'invoice_id' } }),
			accountRef(),
			{ name: 'paid_at', type: 'date', required: true },
			{ name: 'amount', type: 'money', required: true }
		]
	},
	{
		name: 'subscriptions',
		table: 'subscriptions',
		key: ['subscription_id'],
		dependsOn: ['accounts'],
		columns: [
			id('subscription_id'),
			accountRef(),
			text('plan'),
			{ name: 'start_date', type: 'date', required: true },
			{ name: 'end_date', type: 'date', nullable: true },
			{ name: 'mrr', type: 'money', required: true, min: 0 },
			id('currency'),
			id('renewal_status', { values: ['active', 'renewed', 'cancelled', 'expired', 'pending'] })
		]
	},
	{
		name: 'tickets',
		table: 'tickets',
		key: ['ticket_id'],
		dependsOn: ['accounts'],
		columns: [
			id('ticket_id'),
			accountRef(),
			text('contact_id'),
			{ name: 'created_at', type: 'datetime', required: true },
			{ name: 'first_response_at', type: 'datetime', nullable: true },
			{ name: 'resolved_at', type: 'datetime', nullable: true },
			id('priority', { values: ['urgent', 'high', 'normal', 'low'] }),
			text('channel'),
			text('category'),
			id('ticket_type', { values: ['question', 'incident', 'request', 'complaint'] }),
			id('status', { values: ['open', 'pending', 'resolved', 'closed'] }),
			{ name: 'csat', type: 'uint8', nullable: true, min: 1, max: 5 },
			{ name: 'sentiment', type: 'score', nullable: true, min: -1, max: 1 },
			{ name: 'agent_interactions', type: 'uint16' },
			{ name: 'reopened', type: 'bool' }
		]
	},
	{
		name: 'survey_responses',
		table: 'survey_responses',
		key: ['response_id'],
		dependsOn: ['accounts'],
		columns: [
			id('response_id'),
			accountRef(),
			text('contact_id'),
			id('survey_type', { values: ['nps', 'csat', 'ces'] }),
			{ name: 'score', type: 'uint8', required: true, min: 0, max: 10 },
			text('comment'),
			{ name: 'responded_at', type: 'datetime', required: true }
		]
	},
	{
		name: 'usage_daily',
		table: 'usage_daily',
		key: ['account_id', 'day'],
		dependsOn: ['accounts'],
		columns: [
			accountRef(),
			{ name: 'day', type: 'date', required: true },
			{ name: 'active_users', type: 'uint32', required: true },
			{ name: 'key_events', type: 'uint32' }
		]
	}
];

export const ENTITIES: ReadonlyMap<string, EntityDef> = new Map(
	ENTITY_LIST.map((e) => [e.name, e])
);

/** Order-level columns that a flat order-line export repeats on every line. */
export const FLAT_ORDER_COLUMNS: readonly ColumnDef[] = [
	accountRef(),
	{ name: 'ordered_at', type: 'datetime', required: true },
	id('status', { values: ORDER_STATUSES }),
	id('currency'),
	text('channel'),
	{ name: 'order_net_amount', type: 'money' }
];

export const FLAT_ORDER_LINES = 'order_lines_flat';

/** All names `tenure ingest` accepts: the entities plus the flat order-line export. */
export function entityNames(): string[] {
	return [...ENTITIES.keys(), FLAT_ORDER_LINES];
}

export function getEntity(name: string): EntityDef {
	const e = ENTITIES.get(name);
	if (!e) throw new Error(`No entity ${name}`);
	return e;
}

/** Columns a file for `name` maps to: the entity's, or for the flat export the lines' plus the order's. */
export function inputColumns(name: string): readonly ColumnDef[] {
	if (name === FLAT_ORDER_LINES) {
		return [
			...getEntity('order_lines').columns.map((c) =>
				c.name === 'order_id' ? { ...c, ref: undefined } : c
			),
			...FLAT_ORDER_COLUMNS
		];
	}
	return getEntity(name).columns;
}

/** Entity names ordered so that every entity comes after those it depends on. */
export function loadOrder(names: Iterable<string>): string[] {
	const wanted = new Set(names);
	const rank = (n: string): number => {
		if (n === FLAT_ORDER_LINES) return rank('order_lines');
		const e = ENTITIES.get(n);
		return e ? 1 + Math.max(-1, ...e.dependsOn.map(rank)) : 0;
	};
	return [...wanted].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
