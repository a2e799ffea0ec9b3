import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { entityNames, inputColumns, type ColumnDef } from './entities.ts';
import { didYouMean, IngestError, listOf } from './errors.ts';
import { ingestMessage } from './messages.ts';

/**
 * A mapping file says how one source's export maps to an entity:
 *
 *   { "entity": "accounts",
 *     "columns": { "客户编号": "account_id",
 *                  "创建时间": { "to": "created_at", "format": "%Y/%m/%d" },
 *                  "状态": { "to": "status", "values": { "已关闭": "closed" } } },
 *     "derived": { "segment": "if(startsWith(`客户编号`, 'KA'), 'enterprise', 'smb')" } }
 *
 * `columns` is keyed by source header (so two sources mapped to one column can be detected);
 * `derived` by entity column, whose value is a ClickHouse expression over the source columns.
 */

const columnOptions = {
	/** MySQL-style format for parseDateTime, e.g. %Y/%m/%d %H:%i:%s; default: best effort + Excel serials. */
	format: z.string().min(1).optional(),
	/** 1.234,56 style numbers. */
	decimalComma: z.boolean().optional(),
	/** Source value → stored value, applied before validation, e.g. {"已关闭": "closed"}. */
	values: z.record(z.string(), z.string()).optional()
};

const columnSpec = z.union([
	z.string().min(1),
	z.object({ to: z.string().min(1), ...columnOptions }).strict()
]);
const derivedSpec = z.union([
	z.string().min(1),
	z.object({ expr: z.string().min(1), ...columnOptions }).strict()
]);

export const mappingSchema = z
	.object({
		entity: z.string().min(1),
		format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']).optional(),
		encoding: z.enum(['utf-8', 'gbk', 'gb18030']).optional(),
		delimiter: z.string().length(1).optional(),
		mode: z.enum(['incremental', 'snapshot']).optional(),
		columns: z.record(z.string(), columnSpec).default({}),
		derived: z.record(z.string(), derivedSpec).default({})
	})
	.strict();

export type MappingFile = z.infer<typeof mappingSchema>;

export interface ColumnOptions {
	format?: string;
	decimalComma?: boolean;
	values?: Record<string, string>;
}

/** How one entity column gets its value. */
export interface ResolvedColumn extends ColumnOptions {
	def: ColumnDef;
	/** Source header, when the column comes straight from one. */
	source?: string;
	/** ClickHouse expression over source columns, for derived columns. */
	expr?: string;
}

export interface ResolvedMapping {
	entity: string;
	name: string;
	columns: ResolvedColumn[];
	/** Source headers the mapping does not use (reported, not loaded). */
	ignored: string[];
	file?: MappingFile;
}

export function readMappingFile(file: string): MappingFile {
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		throw new IngestError('mapping.badJson', { file, detail: (e as Error).message });
	}
	return parseMapping(json, file);
}

export function parseMapping(json: unknown, label: string): MappingFile {
	const parsed = mappingSchema.safeParse(json);
	if (!parsed.success) {
		const issues = parsed.error.issues.map(
			(i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`
		);
		throw new IngestError('mapping.invalid', { file: label, issues: issues.join('\n') });
	}
	const entity = parsed.data.entity;
	if (!entityNames().includes(entity)) {
		throw new IngestError('mapping.unknownEntity', {
			file: label,
			name: entity,
			suggestion: didYouMean(entity, entityNames()),
			entities: listOf(entityNames())
		});
	}
	return parsed.data;
}

/** Checks an entity name given on the command line or in a manifest. */
export function checkEntityName(entity: string): void {
	if (!entityNames().includes(entity)) {
		throw new IngestError('entity.unknown', {
			name: entity,
			suggestion: didYouMean(entity, entityNames()),
			entities: listOf(entityNames())
		});
	}
}

/**
 * Matches a mapping (or, without one, identical header names) against a file's headers and the
 * entity's columns. Every problem is reported in one error with the closest matches.
 */
export function resolveMapping(
	entity: string,
	headers: readonly string[],
	mapping: MappingFile | undefined,
	label: string,
	fileLabel: string
): ResolvedMapping {
	checkEntityName(entity);
	if (mapping && mapping.entity !== entity) {
		throw new IngestError('mapping.otherEntity', {
			file: label,
			mappingEntity: mapping.entity,
			entity
		});
	}
	const defs = inputColumns(entity);
	const defNames = defs.map((d) => d.name);
	const problems: string[] = [];
	const byTarget = new Map<string, ResolvedColumn & { from: string }>();

	const assign = (target: string, from: string, col: Omit<ResolvedColumn, 'def'>) => {
		const def = defs.find((d) => d.name === target);
		if (!def) {
			problems.push(
				ingestMessage('mapping.notAColumn', {
					from,
					column: target,
					entity,
					suggestion: didYouMean(target, defNames),
					columns: listOf(defNames)
				})
			);
			return;
		}
		const prior = byTarget.get(target);
		if (prior) {
			problems.push(
				ingestMessage('mapping.twoSources', {
					from: prior.from,
					other: from,
					entity,
					column: target
				})
			);
			return;
		}
		byTarget.set(target, { ...col, def, from });
	};

	for (const [source, spec] of Object.entries(mapping?.columns ?? {})) {
		const { to, ...options } = typeof spec === 'string' ? { to: spec } : spec;
		if (!headers.includes(source)) {
			problems.push(
				ingestMessage('mapping.sourceMissing', {
					source,
					fileLabel,
					suggestion: didYouMean(source, headers),
					columns: listOf(headers)
				})
			);
			continue;
		}
		assign(to, ingestMessage('mapping.fromSource', { name: source }), { source, ...options });
	}
	for (const [target, spec] of Object.entries(mapping?.derived ?? {})) {
		const { expr, ...options } = typeof spec === 'string' ? { expr: spec } : spec;
		assign(target, ingestMessage('mapping.fromDerived', { name: target }), { expr, ...options });
	}
	// Headers named exactly like an entity column need no mapping entry.
	const mappedSources = new Set(Object.keys(mapping?.columns ?? {}));
	for (const h of headers) {
		if (mappedSources.has(h)) continue;
		const def = defs.find((d) => d.name === h.trim().toLowerCase());
		if (def && !byTarget.has(def.name)) {
			byTarget.set(def.name, {
				def,
				source: h,
				from: ingestMessage('mapping.fromHeader', { name: h })
			});
		}
	}
	for (const def of defs) {
		if (def.required && !byTarget.has(def.name)) {
			problems.push(
				ingestMessage('mapping.requiredMissing', {
					entity,
					column: def.name,
					fileLabel,
					suggestion: didYouMean(def.name, headers)
				})
			);
		}
	}
	if (problems.length) {
		const list = problems.map((p) => `  - ${p}`).join('\n');
		throw new IngestError(
			mapping ? 'mapping.cannotLoadWith' : 'mapping.cannotLoad',
			mapping
				? { fileLabel, entity, mapping: label, problems: list }
				: { fileLabel, entity, problems: list }
		);
	}
	const used = new Set([...byTarget.values()].map((c) => c.source).filter(Boolean));
	return {
		entity,
		name: mapping ? path.basename(label) : '',
		columns: defs
			.filter((d) => byTarget.has(d.name))
			.map((d) => {
				const { from: _from, ...col } = byTarget.get(d.name)!;
				return col;
			}),
		ignored: headers.filter((h) => !used.has(h)),
		file: mapping
	};
}
