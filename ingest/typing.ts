import { getEntity, type ColumnDef } from './entities.ts';
import type { ResolvedColumn } from './mapping.ts';
import { sqlMessage } from './messages.ts';

/**
 * Builds the SQL that turns a file's text columns into typed entity columns plus, per row, the
 * list of problems (column, reason). Values from the user (value maps, formats, allowed values)
 * travel as query parameters; identifiers are entity column names from ingest/entities.ts.
 */

const EMPTY = `CAST([], 'Array(Tuple(String, String))')`;

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
 * The ClickHouse type the file reader can parse a column into directly, when the column needs no
 * transformation: amounts and counts as numbers, text as text, and dates when the file's own
 * sample reads as dates (so Excel serial numbers keep the text path, which converts them). A value
 * the reader cannot parse fails the whole read; the loader then falls back to the text path, which
 * rejects just that row.
 * @param inferred the type ClickHouse's schema inference gives the column on a sample
 */
export function nativeType(
	col: ResolvedColumn,
	inferred: string | undefined,
	tz: string
): string | null {
	if (col.expr || col.values || col.format || col.decimalComma || !inferred) return null;
	const base = inferred.replace(/^Nullable\((.*)\)$/, '$1');
	const numeric = /^(U?Int|Float|Decimal)/.test(base);
	switch (col.def.type) {
		case 'string':
			return 'Nullable(String)';
		case 'money':
			return numeric ? 'Nullable(Decimal(18, 2))' : null;
		case 'quantity':
			return numeric ? 'Nullable(Decimal(18, 4))' : null;
		case 'score':
			return numeric ? 'Nullable(Float64)' : null;
		case 'uint8':
		case 'uint16':
		case 'uint32':
			return /^U?Int/.test(base) ? 'Nullable(Int64)' : null;
		case 'date':
		case 'datetime':
			return /^(Date|DateTime)/.test(base) ? `Nullable(DateTime('${tz}'))` : null;
		case 'bool':
			return null;
	}
}

/**
 * @param inputOf SQL expression (over the inner query) that yields the column's source value.
 * @param isNative whether that value already has the column's type (see nativeType).
 * @param checkRefs which reference columns to check here: a value naming no stored row of the
 *   referenced entity is rejected (one hash probe
 *   in the same pass, instead of a second scan).
 * @param rowProblem a problem of the whole row (e.g. too many values), listed first with an empty
 *   column name. It belongs in the same short-circuit `if` as the column checks: adding it to the
 *   finished list with a second `if` over the arrays cost 3 of 9.5 CPU s of the parse pass (9.5M
 *   order lines), since `if` copies Array(Tuple) columns row by row.
 */
export function buildTypedSelect(
	cols: ResolvedColumn[],
	inputOf: (c: ResolvedColumn, i: number) => string,
	isNative: (c: ResolvedColumn) => boolean = () => false,
	checkRefs: (c: ColumnDef) => boolean = () => false,
	rowProblem?: { when: string; reason: string }
): TypedSelect {
	const params: Record<string, unknown> = {};
	const columns: TypedSelect['columns'] = [];
	const errors: string[] = [];
	const conditions: string[] = [];
	if (rowProblem) {
		conditions.push(`(${rowProblem.when})`);
		errors.push(`if(${rowProblem.when}, [('', ${rowProblem.reason})], [])`);
	}
	cols.forEach((col, i) => {
		const def = col.def;
		const p = (suffix: string, value: unknown, type: string) => {
			const name = `p${i}_${suffix}`;
			params[name] = value;
			return `{${name}:${type}}`;
		};
		const native = isNative(col);
		const input = inputOf(col, i);
		let raw =
			native && def.type !== 'string'
				? `toString(${input})`
				: `nullIf(trimBoth(${native ? input : `toString(${input})`}), '')`;
		if (col.values && Object.keys(col.values).length) {
			raw = `transform(${raw}, ${p('from', Object.keys(col.values), 'Array(String)')}, ${p('to', Object.values(col.values), 'Array(String)')}, ${raw})`;
		}
		if (def.values) raw = `lower(${raw})`;
		const r = `_raw_${def.name}`;
		const typed = native
			? def.type === 'string'
				? r
				: def.type === 'date'
					? `toDate(${input}, {tz:String})`
					: input
			: typedExpr(def, r, col, p);
		const t = `_typed_${def.name}`;
		const fail = (cond: string, reason: string) => {
			conditions.push(`(${cond})`);
			errors.push(`if(${cond}, [('${def.name}', ${reason})], [])`);
		};
		if (def.required) fail(`${native ? `${t}` : r} IS NULL`, sqlMessage('reject.required'));
		if (def.type !== 'string' && !native) {
			const type = typeLabel(def.type);
			fail(
				`${r} IS NOT NULL AND ${t} IS NULL`,
				col.format
					? sqlMessage('reject.invalidFormat', { value: r }, { type, format: col.format })
					: sqlMessage('reject.invalid', { value: r }, { type })
			);
		}
		if (def.values) {
			fail(
				`${t} IS NOT NULL AND NOT has(${p('allowed', def.values, 'Array(String)')}, ${t})`,
				sqlMessage('reject.notAllowed', { value: t }, { allowed: def.values.join(', ') })
			);
		}
		if (DATE_TYPES.has(def.type)) {
			const lo = `toDate(${p('min', MIN_DATE, 'String')})`;
			const hi = `today() + 366`;
			fail(
				`${t} IS NOT NULL AND (toDate(${t}) < ${lo} OR toDate(${t}) > ${hi})`,
				sqlMessage('reject.dateRange', { value: r }, { min: MIN_DATE })
			);
		}
		if (def.ref && checkRefs(def)) {
			// Table and column names come from entities.ts, never from the file or mapping.
			const refTable = getEntity(def.ref.entity).table;
			fail(
				`${t} IS NOT NULL AND ${t} NOT IN (SELECT ${def.ref.column} FROM ${refTable} FINAL WHERE _deleted = 0)`,
				sqlMessage(
					'reject.unknownRef',
					{ value: t },
					{ column: def.name, refColumn: def.ref.column, refEntity: def.ref.entity }
				)
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
				sqlMessage('reject.range', { value: r }, { min: min ?? '-∞', max: max ?? '∞' })
			);
		}
		columns.push({ name: def.name, def, expr: `${raw} AS ${r}, ${typed} AS ${t}` });
	});
	return {
		columns,
		// The arrays are built only for rows that have a problem: `if` short-circuits (the loader sets
		// short_circuit_function_evaluation), so clean rows cost one boolean per check.
		errors: errors.length
			? `if(${conditions.join(' OR ')}, arrayConcat(${EMPTY}, ${errors.join(', ')}), ${EMPTY})`
			: EMPTY,
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
		const parse = (text: string) =>
			scale < 0 ? `toFloat64OrNull(${text})` : `toDecimal64OrNull(${text}, ${scale})`;
		if (col.decimalComma) {
			return parse(`replaceAll(replaceRegexpAll(${r}, '[\\\\s.]', ''), ',', '.')`);
		}
		// Most values are plain numbers: the cleaning, a regular expression per value, only for the
		// others (29M quoted amounts: 8.0 CPU s to 5.0 s, medians of three). A value that parses as
		// it is has no separator or currency sign to remove, so the result is the same.
		const plain = parse(r);
		return `if(isNull(${plain}), ${parse(`replaceRegexpAll(${r}, '[\\\\s,¥￥$]', '')`)}, ${plain})`;
	};
	switch (def.type) {
		case 'string':
			return r;
		case 'datetime':
		case 'date': {
			// Excel stores dates as days since 1899-12-30; a bare 5-digit number is one of those.
			// Neither DateTime nor DateTime64 reaches back to 1899: count from 1900-01-01 (two days
			// later) in UTC, where no zone's 1900 local mean time skews the sum, then read the
			// resulting wall-clock time in the zone.
			const excel = `toDateTime(toString(addSeconds(toDateTime64('1900-01-01 00:00:00', 0, 'UTC'), toInt64(round((toFloat64(${r}) - 2) * 86400)))), ${tz})`;
			const ts = col.format
				? `parseDateTimeOrNull(${r}, ${p('fmt', col.format, 'String')}, ${tz})`
				: `multiIf(match(${r}, '^[0-9]{5}(\\\\.[0-9]+)?$'), ${excel}, parseDateTimeBestEffortOrNull(${r}, ${tz}))`;
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
