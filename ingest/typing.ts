import type { ColumnDef } from './entities.ts';
import type { ResolvedColumn } from './mapping.ts';

/**
 * Builds the SQL that turns a file's text columns into typed entity columns plus, per row, the
 * list of problems (column, reason). Values from the user (value maps, formats, allowed values)
 * travel as query parameters; identifiers are entity column names from ingest/entities.ts.
 */

export interface TypedSelect {
	/** `expr AS column` for each entity column, in entity order. */
	columns: { name: string; expr: string; def: ColumnDef }[];
	/** Array(Tuple(String, String)) expression: (column, reason) for each problem of the row. */
	errors: string;
	params: Record<string, unknown>;
}

/** Dates outside this window are almost always a parse or entry error (e.g. 1900-01-00 defaults). */
export const MIN_DATE = '1990-01-01';

const DATE_TYPES = new Set(['date', 'datetime']);

function typeLabel(t: ColumnDef['type']): string {
	return {
		string: 'text',
		datetime: 'date/time',
		date: 'date',
		money: 'amount',
		quantity: 'number',
		uint8: 'whole number',
		uint16: 'whole number',
		uint32: 'whole number',
		score: 'number',
		bool: 'yes/no value'
	}[t];
}

const INT_MAX: Record<string, number> = { uint8: 255, uint16: 65535, uint32: 4294967295 };

/**
 * @param inputOf SQL expression (over the inner query) that yields the column's source value.
 */
export function buildTypedSelect(
	cols: ResolvedColumn[],
	inputOf: (c: ResolvedColumn, i: number) => string
): TypedSelect {
	const params: Record<string, unknown> = {};
	const columns: TypedSelect['columns'] = [];
	const errors: string[] = [];
	cols.forEach((col, i) => {
		const def = col.def;
		const p = (suffix: string, value: unknown, type: string) => {
			const name = `p${i}_${suffix}`;
			params[name] = value;
			return `{${name}:${type}}`;
		};
		let raw = `nullIf(trimBoth(toString(${inputOf(col, i)})), '')`;
		if (col.values && Object.keys(col.values).length) {
			raw = `transform(${raw}, ${p('from', Object.keys(col.values), 'Array(String)')}, ${p('to', Object.values(col.values), 'Array(String)')}, ${raw})`;
		}
		if (def.values) raw = `lower(${raw})`;
		const r = `_raw_${def.name}`;
		const typed = typedExpr(def, r, col, p);
		const t = `_typed_${def.name}`;
		const fail = (cond: string, reason: string) =>
			errors.push(`if(${cond}, [('${def.name}', ${reason})], [])`);
		if (def.required) fail(`${r} IS NULL`, `'is required but empty'`);
		if (def.type !== 'string') {
			const hint = col.format ? ` (expected format ${col.format})` : '';
			fail(
				`${r} IS NOT NULL AND ${t} IS NULL`,
				`concat('is not a valid ${typeLabel(def.type)}${hint}: "', ${r}, '"')`
			);
		}
		if (def.values) {
			fail(
				`${t} IS NOT NULL AND NOT has(${p('allowed', def.values, 'Array(String)')}, ${t})`,
				`concat('"', ${t}, '" is not one of ${def.values.join(', ')}')`
			);
		}
		if (DATE_TYPES.has(def.type)) {
			const lo = `toDate(${p('min', MIN_DATE, 'String')})`;
			const hi = `today() + 366`;
			fail(
				`${t} IS NOT NULL AND (toDate(${t}) < ${lo} OR toDate(${t}) > ${hi})`,
				`concat('date out of range (${MIN_DATE} to a year from now): "', ${r}, '"')`
			);
		}
		const min = def.min ?? (INT_MAX[def.type] !== undefined ? 0 : undefined);
		const max = def.max ?? INT_MAX[def.type];
		if (min !== undefined || max !== undefined) {
			const conds = [
				min !== undefined ? `${t} < ${p('lo', min, 'Float64')}` : '',
				max !== undefined ? `${t} > ${p('hi', max, 'Float64')}` : ''
			].filter(Boolean);
			fail(
				`${t} IS NOT NULL AND (${conds.join(' OR ')})`,
				`concat('must be between ${min ?? '-∞'} and ${max ?? '∞'}: "', ${r}, '"')`
			);
		}
		columns.push({ name: def.name, def, expr: `${raw} AS ${r}, ${typed} AS ${t}` });
	});
	return {
		columns,
		errors: errors.length
			? `arrayConcat(CAST([], 'Array(Tuple(String, String))'), ${errors.join(', ')})`
			: `CAST([], 'Array(Tuple(String, String))')`,
		params
	};
}

function typedExpr(
	def: ColumnDef,
	r: string,
	col: ResolvedColumn,
	p: (suffix: string, value: unknown, type: string) => string
): string {
	const tz = '{tz:String}';
	const number = (scale: number) => {
		const cleaned = col.decimalComma
			? `replaceAll(replaceRegexpAll(${r}, '[\\\\s.]', ''), ',', '.')`
			: `replaceRegexpAll(${r}, '[\\\\s,¥￥$]', '')`;
		return scale < 0 ? `toFloat64OrNull(${cleaned})` : `toDecimal64OrNull(${cleaned}, ${scale})`;
	};
	switch (def.type) {
		case 'string':
			return r;
		case 'datetime':
		case 'date': {
			// Excel stores dates as days since 1899-12-30; a bare 5-digit number is one of those.
			const ts = col.format
				? `parseDateTimeOrNull(${r}, ${p('fmt', col.format, 'String')}, ${tz})`
				: `multiIf(match(${r}, '^[0-9]{5}(\\\\.[0-9]+)?$'), addSeconds(toDateTime('1899-12-30 00:00:00', ${tz}), toInt64(round(toFloat64(${r}) * 86400))), parseDateTimeBestEffortOrNull(${r}, ${tz}))`;
			return def.type === 'date' ? `toDate(${ts}, ${tz})` : ts;
		}
		case 'money':
			return number(2);
		case 'quantity':
			return number(4);
		case 'score':
			return number(-1);
		case 'uint8':
		case 'uint16':
		case 'uint32':
			// "3" and "3.0" are whole numbers; "3.5" is not (and fails the type check).
			return `CAST(if(${number(-1)} = round(${number(-1)}), ${number(-1)}, NULL) AS Nullable(Int64))`;
		case 'bool':
			return `multiIf(lower(${r}) IN ('1', 'true', 'yes', 'y', 't', '是'), 1, lower(${r}) IN ('0', 'false', 'no', 'n', 'f', '否'), 0, NULL)`;
	}
}

/** Storage form of a typed value: Nullable columns keep NULL, others get the type's zero. */
export function finalExpr(def: ColumnDef): string {
	const t = `_typed_${def.name}`;
	if (def.nullable) return t;
	const zero: Record<ColumnDef['type'], string> = {
		string: "''",
		datetime: "toDateTime(0, 'UTC')",
		date: 'toDate(0)',
		money: 'toDecimal64(0, 2)',
		quantity: 'toDecimal64(0, 4)',
		score: '0',
		uint8: '0',
		uint16: '0',
		uint32: '0',
		bool: '0'
	};
	return `ifNull(${t}, ${zero[def.type]})`;
}
