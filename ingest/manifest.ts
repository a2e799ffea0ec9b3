import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../sql/client.ts';
import { loadOrder } from './entities.ts';
import { IngestError } from './errors.ts';
import { loadFile, type LoadOptions, type LoadResult } from './load.ts';
import { checkEntityName, readMappingFile } from './mapping.ts';

/**
 * A folder of exports is described by `manifest.json`:
 *   { "files": [ { "file": "客户.csv", "entity": "accounts", "mapping": "accounts.mapping.json",
 *                  "mode": "snapshot" }, … ] }
 * Files load in dependency order (owners, accounts, then what references accounts), so references
 * resolve within one folder.
 */
export const manifestSchema = z
	.object({
		files: z
			.array(
				z
					.object({
						file: z.string().min(1),
						entity: z.string().min(1),
						mapping: z.string().min(1).optional(),
						format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']).optional(),
						mode: z.enum(['incremental', 'snapshot']).optional()
					})
					.strict()
			)
			.min(1)
	})
	.strict();

export type Manifest = z.infer<typeof manifestSchema>;
export const MANIFEST = 'manifest.json';

export function readManifest(dir: string): Manifest {
	const file = path.join(dir, MANIFEST);
	if (!existsSync(file)) {
		throw new IngestError('manifest.missing', { dir, manifest: MANIFEST });
	}
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		throw new IngestError('manifest.badJson', { file, detail: (e as Error).message });
	}
	const parsed = manifestSchema.safeParse(json);
	if (!parsed.success) {
		throw new IngestError('manifest.invalid', {
			file,
			issues: parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
		});
	}
	for (const f of parsed.data.files) checkEntityName(f.entity);
	return parsed.data;
}

/** Loads every file of a manifest folder, in dependency order; stops at the first failed file. */
export async function loadFolder(
	db: Db,
	dir: string,
	opts: Pick<LoadOptions, 'triggeredBy'> & {
		onFile?: (file: string, entity: string) => LoadOptions['onProgress'];
	} = {}
): Promise<LoadResult[]> {
	const manifest = readManifest(dir);
	const order = loadOrder(manifest.files.map((f) => f.entity));
	const files = [...manifest.files].sort(
		(a, b) => order.indexOf(a.entity) - order.indexOf(b.entity)
	);
	const results: LoadResult[] = [];
	for (const f of files) {
		const mappingPath = f.mapping ? path.join(dir, f.mapping) : undefined;
		const file = path.join(dir, f.file);
		const result = await loadFile(db, {
			entity: f.entity,
			file,
			mapping: mappingPath ? readMappingFile(mappingPath) : undefined,
			mappingLabel: mappingPath,
			format: f.format,
			mode: f.mode,
			triggeredBy: opts.triggeredBy,
			onProgress: opts.onFile?.(file, f.entity)
		});
		results.push(result);
		if (result.status === 'failed') break;
	}
	return results;
}
