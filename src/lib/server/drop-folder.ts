import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../sql/client.ts';
import { loadFile, movedPath, recordSourceMoved, type LoadResult } from '../../../ingest/load.ts';
import { loadFolder, MANIFEST } from '../../../ingest/manifest.ts';
import { checkEntityName } from '../../../ingest/mapping.ts';
import { enqueue } from './jobs.ts';

/**
 * The inbox: `${dataDir}/inbox/` is scanned every few seconds.
 * - A sub-folder with `manifest.json` and a file named `READY` is loaded with loadFolder (the
 *   exporter writes READY last, so a half-copied folder is never read).
 * - A single file named `<entity>[.<anything>].csv|tsv|jsonl|parquet[.gz|.zst]` is loaded as that
 *   entity once its size and modification time have not changed between two scans.
 * Afterwards each is moved to `inbox/done/<timestamp>-<name>/` or `inbox/failed/…` together with
 * a `result.json` of its load results, and its runs are updated to name the moved file (and
 * mapping): a run's source_file is always a path that exists, as for a CLI load. A load interrupted
 * by a restart is simply loaded again on the next start (loads are idempotent).
 */

const RESERVED = new Set(['done', 'failed']);
const FILE_PATTERN = /^([a-z_]+)(?:\.[^/]*)?\.(csv|tsv|jsonl|parquet)(?:\.(gz|zst))?$/i;

export interface DropFolderOptions {
	intervalMs?: number;
	log?: (line: string) => void;
}

export function inboxDir(dataDir: string): string {
	return path.join(dataDir, 'inbox');
}

interface Seen {
	size: number;
	mtimeMs: number;
}

export function startDropFolder(
	db: Db,
	opts: DropFolderOptions = {}
): { stop: () => void; scan: () => Promise<void> } {
	const inbox = inboxDir(db.dataDir);
	const log = opts.log ?? ((line: string) => console.log(line));
	mkdirSync(inbox, { recursive: true });
	const seen = new Map<string, Seen>();
	const inFlight = new Set<string>();
	let scanning = false;

	const finish = async (
		name: string,
		source: string,
		results: LoadResult[] | { error: string }
	) => {
		const ok =
			Array.isArray(results) &&
			results.length > 0 &&
			results.every((r) => r.status === 'succeeded');
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		const target = path.join(inbox, ok ? 'done' : 'failed', `${stamp}-${name}`);
		// A folder becomes the target itself; a single file moves into a target folder of its own.
		const moved = statSync(source).isDirectory() ? target : path.join(target, name);
		mkdirSync(path.dirname(moved), { recursive: true });
		renameSync(source, moved);
		let result: unknown = results;
		if (Array.isArray(results)) {
			// The runs recorded the inbox path the file was read from; they now name where it is.
			await recordSourceMoved(
				db,
				results.map((r) => r.runId),
				source,
				moved
			).catch((e: unknown) =>
				log(
					`Inbox: the runs of ${name} still name its inbox path: ${e instanceof Error ? e.message : String(e)}`
				)
			);
			result = results.map((r) => ({ ...r, file: movedPath(r.file, source, moved) }));
		}
		writeFileSync(path.join(target, 'result.json'), JSON.stringify(result, null, 2));
		log(`Inbox: ${name} ${ok ? 'loaded' : 'FAILED'}; moved to ${path.relative(inbox, target)}`);
	};

	const run = (name: string, label: string, load: () => Promise<LoadResult[]>) => {
		const source = path.join(inbox, name);
		inFlight.add(name);
		log(`Inbox: queueing ${label}`);
		enqueue(`inbox ${name}`, load)
			.then(
				(results) => finish(name, source, results),
				(e: unknown) => finish(name, source, { error: e instanceof Error ? e.message : String(e) })
			)
			.catch((e: unknown) =>
				log(
					`Inbox: could not move ${name} out of the inbox: ${e instanceof Error ? e.message : String(e)}`
				)
			)
			.finally(() => {
				inFlight.delete(name);
				seen.delete(name);
			});
	};

	const scan = async () => {
		if (scanning) return;
		scanning = true;
		try {
			const present = new Set<string>();
			for (const entry of readdirSync(inbox, { withFileTypes: true })) {
				const name = entry.name;
				if (name.startsWith('.') || RESERVED.has(name) || inFlight.has(name)) continue;
				const full = path.join(inbox, name);
				if (entry.isDirectory()) {
					if (existsSync(path.join(full, MANIFEST)) && existsSync(path.join(full, 'READY'))) {
						run(name, `folder ${name}`, () =>
							loadFolder(db, full, { triggeredBy: `inbox:${name}` })
						);
					}
					continue;
				}
				if (!entry.isFile()) continue;
				const match = FILE_PATTERN.exec(name);
				if (!match) continue;
				present.add(name);
				const st = statSync(full);
				const prev = seen.get(name);
				seen.set(name, { size: st.size, mtimeMs: st.mtimeMs });
				if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) continue;
				const entity = match[1]!.toLowerCase();
				run(name, `file ${name} as ${entity}`, async () => {
					try {
						checkEntityName(entity);
					} catch (e) {
						throw new Error(
							`${(e as Error).message} Name inbox files <entity>.<anything>.csv|tsv|jsonl|parquet after the entity they hold.`,
							{ cause: e }
						);
					}
					return [await loadFile(db, { entity, file: full, triggeredBy: `inbox:${name}` })];
				});
			}
			for (const name of seen.keys()) {
				if (!present.has(name) && !inFlight.has(name)) seen.delete(name);
			}
		} catch (e) {
			log(`Inbox: scan of ${inbox} failed: ${e instanceof Error ? e.message : String(e)}`);
		} finally {
			scanning = false;
		}
	};

	const timer = setInterval(() => void scan(), opts.intervalMs ?? 5000);
	timer.unref();
	return { stop: () => clearInterval(timer), scan };
}
