/**
 * Every message a load reports to a person (a run's error, a rejected row's reason, the upload
 * endpoint's refusals), each under a stable code with named parameters.
 *
 * What is stored and printed is the English text: the CLI shows it, `ingest_runs.error` and
 * `ingest_rejects.reason` keep it, and rows written before the codes existed read the same. The
 * portal recognises a text by these templates (parseIngestMessage) and renders it in the UI
 * language (src/lib/i18n/ingest-messages.ts); a text no template matches (an engine message) is
 * shown as it is. So a template may be reworded only together with a migration of stored rows,
 * and two templates must not read alike (matching tries the one with more fixed text first).
 *
 * No Node imports: the portal's browser code imports this module too.
 */
export const INGEST_MESSAGES = {
	// Reasons of rejected rows (ingest_rejects.reason), most built in SQL by sqlMessage.
	'reject.required': 'is required but empty',
	'reject.invalid': 'is not a valid {type}: "{value}"',
	'reject.invalidFormat': 'is not a valid {type} (expected format {format}): "{value}"',
	'reject.notAllowed': '"{value}" is not one of {allowed}',
	'reject.dateRange': 'date out of range ({min} to a year from now): "{value}"',
	'reject.unknownRef': 'unknown {column} "{value}": there is no such {refColumn} in {refEntity}',
	'reject.range': 'must be between {min} and {max}: "{value}"',
	'reject.tooWide': 'row has more values than the header has columns ({count})',
	'reject.conflict': 'key {key} appears in rows {rows} with different values',
	'reject.duplicate': 'exact duplicate of row {row}',
	'reject.orderLinesDiffer':
		'order {order}: its lines differ in account, date, status, currency, channel or order amount',
	'reject.orderIncomplete':
		'order {order}: its line in row {row} was rejected, so the order would be incomplete',
	'reject.orderRejected': 'order {order} (row {row}) was rejected, and its lines with it',

	// Files (source.ts, load.ts).
	'file.unknownFormat':
		'Cannot tell the format of {file} from its name: use --format csv|tsv|jsonl|parquet (or a .csv, .tsv, .jsonl or .parquet name).',
	'file.missing': 'File {file} does not exist.',
	'file.notAFile': '{file} is not a file.',
	'file.empty': 'File {file} is empty (0 bytes): there is nothing to load.',
	'file.notGzip': 'File {file} is named .gz but is not gzip-compressed.',
	'file.notZstd': 'File {file} is named .zst but is not zstd-compressed.',
	'file.compressedUnnamed':
		'File {file} is compressed but its name does not say so: rename it to end in .gz or .zst.',
	'file.notParquet': 'File {file} is not a Parquet file (no PAR1 header).',
	'file.isParquet': 'File {file} is a Parquet file, not {format}: load it with --format parquet.',
	'file.binary':
		'File {file} is not {format} text: it contains binary data (NUL bytes). Check that it is the right file, or export it again as {format}.',
	'file.unknownEncoding':
		'File {file} is neither UTF-8 nor GBK/GB18030 text: the bytes {bytes} at byte {offset} (line {line}) are valid in neither. Save it as UTF-8 (Excel: "CSV UTF-8"), or set "encoding" in the mapping to load it as that encoding anyway.',
	'file.zstdGbk':
		'File {file} is zstd-compressed GBK text: decompress it (or save it as UTF-8) and load again.',
	'file.gbkConversion': 'File {file} could not be converted from GBK to UTF-8: {detail}',
	'file.unreadable': 'File {file} could not be read as {format}: {reason}',
	'file.notLoaded': 'File {file} could not be loaded: {reason}',
	'file.duplicateHeader': "File {file} has two columns named '{column}': rename one of them.",
	'file.snapshotEmpty':
		'File {file} has no valid {entity} rows: as a full snapshot it would delete every stored {entity} row, so nothing was changed. Fix the file or load it in incremental mode.',
	'engine.damaged':
		'the compressed data ends early or is damaged (was the file cut off during download?). Re-export or re-copy it and load again.',
	'engine.noData': 'no header row or no data could be read from it.',

	// Runs (load.ts).
	'run.failed': 'Load failed: {reason}',
	'run.interrupted':
		'Interrupted: the process stopped before the load finished. Nothing from this run was stored; load the file again.',
	'run.rolledForward': 'completed after an interruption',

	// Entities and mappings (mapping.ts, errors.ts).
	suggest: " Did you mean '{name}'?",
	'entity.unknown': "Unknown entity '{name}'.{suggestion} Entities: {entities}.",
	'mapping.badJson': 'Mapping {file} is not valid JSON: {detail}',
	'mapping.invalid': 'Mapping {file} is not valid:\n{issues}',
	'mapping.unknownEntity':
		"Mapping {file}: unknown entity '{name}'.{suggestion} Entities: {entities}.",
	'mapping.otherEntity': "Mapping {file} is for '{mappingEntity}', not '{entity}'.",
	'mapping.cannotLoad': 'Cannot load {fileLabel} as {entity}:\n{problems}',
	'mapping.cannotLoadWith':
		'Cannot load {fileLabel} as {entity} with mapping {mapping}:\n{problems}',
	'mapping.notAColumn':
		"{from} maps to '{column}', which is not a column of {entity}.{suggestion} Columns: {columns}.",
	'mapping.twoSources': 'both {from} and {other} map to {entity}.{column}; keep one of them.',
	'mapping.sourceMissing':
		"source column '{source}' is not in {fileLabel}.{suggestion} The file's columns: {columns}.",
	'mapping.requiredMissing':
		'required column {entity}.{column} has no source: name a column of {fileLabel} after it or map one to it.{suggestion}',
	'mapping.fromSource': "source column '{name}'",
	'mapping.fromDerived': "derived expression for '{name}'",
	'mapping.fromHeader': "column '{name}'",
	'label.file': 'file {path}',

	// Derived columns (expressions.ts).
	'derived.refused': "Derived column '{column}' ({expr}): {reason}",
	'derived.oneStatement': 'must be a single expression (no ";").',
	'derived.notExpression': 'is not a valid ClickHouse expression: {detail}',
	'derived.shape':
		'must be one expression over the row, without SELECT, FROM, SETTINGS, tables or subqueries.',
	'derived.forbidden': 'calls {function}(), which derived columns may not use.',
	'derived.unknownColumn': "refers to '{name}', which is not a column of {file}.",

	// Manifests (manifest.ts).
	'manifest.missing':
		'Folder {dir} has no {manifest}: it must list each file with its entity (and mapping).',
	'manifest.badJson': '{file} is not valid JSON: {detail}',
	'manifest.invalid': '{file} is not valid:\n{issues}',

	// The upload endpoint (src/routes/api/ingest).
	'upload.unknownMode': "Unknown mode '{mode}': use incremental or snapshot.",
	'upload.unknownFormat': "Unknown format '{format}': use csv, tsv, jsonl or parquet.",
	'upload.badMappingHeader':
		'The x-mapping header must be base64url-encoded UTF-8 JSON ({detail}).',
	'upload.noBody': 'The request has no body: send the file as the request body.',
	'upload.incomplete': 'The upload did not complete: {detail}',
	'upload.tooLarge':
		'The file is larger than the upload limit of {max} bytes (TENURE_MAX_UPLOAD_BYTES). Raise the limit or use the inbox folder.'
} as const;

export type IngestMessageCode = keyof typeof INGEST_MESSAGES;
export type IngestMessageParams = Record<string, string | number>;

/**
 * Parameters that hold another message (or a bulleted list of them, `problems`): the portal
 * renders them in the UI language too. Any other parameter is data (names, values, paths) and
 * is shown as it is.
 */
export const NESTED_PARAMS = new Set([
	'reason',
	'suggestion',
	'problems',
	'fileLabel',
	'from',
	'other'
]);

/** Pieces of other messages: recognised only inside a message's nested parameters. */
const FRAGMENTS = new Set<IngestMessageCode>([
	'suggest',
	'label.file',
	'mapping.fromSource',
	'mapping.fromDerived',
	'mapping.fromHeader'
]);

/** The English text of a message (what the CLI prints and the database stores). */
export function ingestMessage(code: IngestMessageCode, params: IngestMessageParams = {}): string {
	return fill(INGEST_MESSAGES[code], params);
}

/** `{name}` placeholders filled from `params`; unknown names stay as they are. */
export function fill(template: string, params: IngestMessageParams): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		params[name] === undefined ? whole : String(params[name])
	);
}

const sqlLiteral = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * A ClickHouse String expression for a message computed per row: `exprs` gives SQL expressions
 * (evaluated per row) for some parameters, `literals` fixed text for the others (quoted here, so
 * a mapping's format string cannot break the statement).
 */
export function sqlMessage(
	code: IngestMessageCode,
	exprs: Record<string, string> = {},
	literals: IngestMessageParams = {}
): string {
	const parts: string[] = [];
	let text = '';
	for (const piece of INGEST_MESSAGES[code].split(/(\{\w+\})/)) {
		const name = /^\{(\w+)\}$/.exec(piece)?.[1];
		if (name !== undefined && exprs[name] !== undefined) {
			if (text) parts.push(sqlLiteral(text));
			parts.push(exprs[name]);
			text = '';
		} else if (name !== undefined && literals[name] !== undefined) {
			text += String(literals[name]);
		} else {
			if (name !== undefined) throw new Error(`sqlMessage(${code}): no value for {${name}}`);
			text += piece;
		}
	}
	if (text) parts.push(sqlLiteral(text));
	return parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`;
}

export interface ParsedIngestMessage {
	code: IngestMessageCode;
	params: Record<string, string>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DIGITS = '\\d+';
/**
 * What some parameters can be, where free text would make a template ambiguous: a path with dots
 * before `.{suggestion}` must not end at its first dot.
 */
const PARAM_PATTERNS: Record<string, string> = {
	suggestion: `(?:${escape(INGEST_MESSAGES.suggest).replace('\\{name\\}', '[\\s\\S]*?')})?`,
	// Always one of entities.ts's names (an unknown name is the {name} of entity.unknown).
	entity: '[a-z_]+',
	count: DIGITS,
	row: DIGITS,
	offset: DIGITS,
	line: DIGITS,
	max: DIGITS
};

let matchers: { code: IngestMessageCode; names: string[]; re: RegExp }[] | null = null;

function compile(): NonNullable<typeof matchers> {
	const list = (Object.entries(INGEST_MESSAGES) as [IngestMessageCode, string][]).map(
		([code, template]) => {
			const names: string[] = [];
			let source = '';
			for (const piece of template.split(/(\{\w+\})/)) {
				const name = /^\{(\w+)\}$/.exec(piece)?.[1];
				if (name === undefined) source += escape(piece);
				else if (names.includes(name)) source += `\\k<${name}>`;
				else {
					names.push(name);
					source += `(?<${name}>${PARAM_PATTERNS[name] ?? '[\\s\\S]*?'})`;
				}
			}
			const fixed = template.replace(/\{\w+\}/g, '').length;
			return { code, names, re: new RegExp(`^${source}$`), fixed };
		}
	);
	// The template with more fixed text first: 'is not a valid {type} (expected format {format}):
	// "{value}"' before 'is not a valid {type}: "{value}"', which would also match.
	list.sort((a, b) => b.fixed - a.fixed);
	return list;
}

/**
 * The code and parameters of a stored message text, or null for text no template produces.
 * `fragment`: the text is a nested parameter, which may also be a piece of a message.
 */
export function parseIngestMessage(text: string, fragment = false): ParsedIngestMessage | null {
	matchers ??= compile();
	for (const m of matchers) {
		if (!fragment && FRAGMENTS.has(m.code)) continue;
		const match = m.re.exec(text);
		if (match) {
			const params: Record<string, string> = {};
			for (const name of m.names) params[name] = match.groups?.[name] ?? '';
			return { code: m.code, params };
		}
	}
	return null;
}
