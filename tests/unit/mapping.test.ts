import { describe, expect, test } from 'vitest';
import { entityNames, inputColumns } from '../../ingest/entities.ts';
import { IngestError } from '../../ingest/errors.ts';
import { parseMapping, resolveMapping, type MappingFile } from '../../ingest/mapping.ts';

/** Mapping resolution: every problem with a mapping is found before a file is read. */

const accountHeaders = ['客户编号', '客户名称', '创建日期', '备注'];
const mapping = (m: Partial<MappingFile> & { entity?: string }): MappingFile =>
	parseMapping({ entity: 'accounts', ...m }, 'accounts.mapping.json');
const resolve = (headers: string[], m?: MappingFile, entity = 'accounts') =>
	resolveMapping(entity, headers, m, 'accounts.mapping.json', 'file 客户.csv');
const messageOf = (fn: () => unknown): string => {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(IngestError);
		return (e as Error).message;
	}
	throw new Error('expected an IngestError');
};

describe('resolveMapping', () => {
	test('maps source headers, derived columns and same-named headers; reports unused headers', () => {
		const r = resolve(
			[...accountHeaders, ' Region '],
			mapping({
				columns: {
					客户编号: 'account_id',
					客户名称: 'name',
					创建日期: { to: 'created_at', format: '%Y/%m/%d' }
				},
				derived: { segment: "if(startsWith(`客户编号`, 'KA'), 'enterprise', 'smb')" }
			})
		);
		expect(r.columns.map((c) => [c.def.name, c.source ?? c.expr])).toEqual([
			['account_id', '客户编号'],
			['name', '客户名称'],
			['region', ' Region '],
			['segment', "if(startsWith(`客户编号`, 'KA'), 'enterprise', 'smb')"],
			['created_at', '创建日期']
		]);
		expect(r.columns.find((c) => c.def.name === 'created_at')?.format).toBe('%Y/%m/%d');
		expect(r.ignored).toEqual(['备注']);
		expect(r.name).toBe('accounts.mapping.json');
	});

	test('without a mapping, headers named like the columns are enough', () => {
		const r = resolve(['account_id', 'NAME', 'created_at', 'extra'], undefined);
		expect(r.columns.map((c) => c.def.name)).toEqual(['account_id', 'name', 'created_at']);
		expect(r.ignored).toEqual(['extra']);
		expect(r.name).toBe('');
	});

	test('a target that is not a column suggests the closest and lists the columns', () => {
		const msg = messageOf(() =>
			resolve(
				accountHeaders,
				mapping({ columns: { 客户编号: 'acount_id', 客户名称: 'name', 创建日期: 'created_at' } })
			)
		);
		expect(msg).toBe(
			'Cannot load file 客户.csv as accounts with mapping accounts.mapping.json:\n' +
				"  - source column '客户编号' maps to 'acount_id', which is not a column of accounts. Did you mean 'account_id'? " +
				"Columns: 'account_id', 'name', 'industry', 'region', 'segment', 'acquisition_channel', 'owner_email', 'parent_account_id', 'created_at'.\n" +
				'  - required column accounts.account_id has no source: name a column of file 客户.csv after it or map one to it.'
		);
	});

	test('two sources for one column are both named', () => {
		const msg = messageOf(() =>
			resolve(
				['客户编号', '编号', 'name', 'created_at'],
				mapping({ columns: { 客户编号: 'account_id', 编号: 'account_id' } })
			)
		);
		expect(msg).toContain(
			"both source column '客户编号' and source column '编号' map to accounts.account_id; keep one of them."
		);
	});

	test('a derived expression and a source for the same column conflict', () => {
		const msg = messageOf(() =>
			resolve(
				accountHeaders,
				mapping({
					columns: { 客户编号: 'account_id', 客户名称: 'name', 创建日期: 'created_at' },
					derived: { name: "'x'" }
				})
			)
		);
		expect(msg).toContain(
			"both source column '客户名称' and derived expression for 'name' map to accounts.name; keep one of them."
		);
	});

	test('a mapped header the file lacks suggests the closest header and lists them', () => {
		const msg = messageOf(() =>
			resolve(
				accountHeaders,
				mapping({ columns: { 客户编码: 'account_id', 客户名称: 'name', 创建日期: 'created_at' } })
			)
		);
		expect(msg).toContain(
			"source column '客户编码' is not in file 客户.csv. Did you mean '客户编号'? The file's columns: '客户编号', '客户名称', '创建日期', '备注'."
		);
	});

	test('every missing required column is reported at once', () => {
		const msg = messageOf(() => resolve(['名字'], undefined, 'orders'));
		const missing = msg
			.split('\n')
			.filter((l) => l.includes('has no source'))
			.map((l) => /orders\.(\w+)/.exec(l)?.[1]);
		expect(missing).toEqual([
			'order_id',
			'account_id',
			'ordered_at',
			'status',
			'currency',
			'net_amount'
		]);
		expect(msg.startsWith('Cannot load file 客户.csv as orders:\n')).toBe(true);
	});

	test('a mapping written for another entity is refused', () => {
		expect(() => resolve(accountHeaders, parseMapping({ entity: 'orders' }, 'o.json'))).toThrow(
			"Mapping accounts.mapping.json is for 'orders', not 'accounts'."
		);
	});

	test('an unknown entity lists the entities with the closest one', () => {
		expect(() => resolve(accountHeaders, undefined, 'acounts')).toThrow(
			`Unknown entity 'acounts'. Did you mean 'accounts'? Entities: ${entityNames()
				.map((n) => `'${n}'`)
				.join(', ')}.`
		);
	});

	test('the flat order-line export takes the order fields next to the line fields', () => {
		const names = inputColumns('order_lines_flat').map((c) => c.name);
		expect(names).toEqual([
			'order_id',
			'line_no',
			'sku',
			'quantity',
			'unit_price',
			'net_amount',
			'account_id',
			'ordered_at',
			'status',
			'currency',
			'channel',
			'order_net_amount'
		]);
		const r = resolve(names, undefined, 'order_lines_flat');
		expect(r.columns.filter((c) => c.def.required).map((c) => c.def.name)).toEqual([
			'order_id',
			'line_no',
			'sku',
			'quantity',
			'net_amount',
			'account_id',
			'ordered_at',
			'status',
			'currency'
		]);
	});
});

describe('parseMapping', () => {
	test('an unknown key or a wrong type is reported with its path', () => {
		expect(() => parseMapping({ entity: 'accounts', colums: {} }, 'm.json')).toThrow(
			/^Mapping m\.json is not valid:\n {2}\(top level\): Unrecognized key/
		);
		expect(() =>
			parseMapping(
				{ entity: 'accounts', columns: { 编号: { to: 'account_id', fromat: 'x' } } },
				'm.json'
			)
		).toThrow('Mapping m.json is not valid:\n  columns.编号:');
		expect(() => parseMapping({ entity: 'accounts', mode: 'full' }, 'm.json')).toThrow('  mode:');
	});
});
