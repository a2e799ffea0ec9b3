import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeBase64urlIgnorePadding } from '@oslojs/encoding';
import { json } from '@sveltejs/kit';
import { IngestError } from '../../../../../ingest/errors.ts';
import { loadFile, type LoadMode } from '../../../../../ingest/load.ts';
import { ingestMessage } from '../../../../../ingest/messages.ts';
import { checkEntityName, parseMapping, type MappingFile } from '../../../../../ingest/mapping.ts';
import type { SourceFormat } from '../../../../../ingest/source.ts';
import { getConfig, getDb } from '$lib/server/db';
import { requireApiUser } from '$lib/server/guard';
import { enqueue } from '$lib/server/jobs';
import {
	mappingPath,
	safeFileName,
	saveUpload,
	settleAfter,
	sweepUploadsOnce,
	UploadTooLargeError
} from '$lib/server/upload';
import type { RequestHandler } from './$types';

/**
 * POST /api/ingest/<entity>?filename=客户.csv&mode=incremental|snapshot&format=csv|tsv|jsonl|parquet
 * Body: the raw file (any content type but a form's). Optional `x-mapping` header: the mapping JSON,
 * base64url-encoded (headers are ASCII). `x-filename` (percent-encoded) may replace `?filename=`.
 *
 * The body is streamed to `<data dir>/uploads/<uuid>/` and never held in memory; once the load is
 * over the file is deleted, or kept a while if the load failed (upload.ts states the policy).
 * adapter-node refuses bodies over BODY_SIZE_LIMIT (512 KB by default) before this code runs, so
 * the server must be started with BODY_SIZE_LIMIT=Infinity (scripts/start.mjs does);
 * TENURE_MAX_UPLOAD_BYTES is the limit enforced here. Answers the LoadResult: 200 when the load
 * succeeded, 422 when it failed.
 */
export const POST: RequestHandler = async ({ locals, params, url, request }) => {
	const user = requireApiUser(locals, ['admin']);
	const config = getConfig();
	const entity = params.entity;

	try {
		checkEntityName(entity);
	} catch (e) {
		return problem(400, (e as Error).message);
	}

	const mode = url.searchParams.get('mode') ?? undefined;
	if (mode !== undefined && mode !== 'incremental' && mode !== 'snapshot') {
		return problem(400, ingestMessage('upload.unknownMode', { mode }));
	}
	const format = url.searchParams.get('format') ?? undefined;
	if (format !== undefined && !['csv', 'tsv', 'jsonl', 'parquet'].includes(format)) {
		return problem(400, ingestMessage('upload.unknownFormat', { format }));
	}

	const name = safeFileName(
		url.searchParams.get('filename') ??
			decodeHeader(request.headers.get('x-filename')) ??
			`${entity}.csv`
	);

	let mapping: MappingFile | undefined;
	const mappingHeader = request.headers.get('x-mapping');
	if (mappingHeader) {
		try {
			const text = new TextDecoder('utf-8', { fatal: true }).decode(
				decodeBase64urlIgnorePadding(mappingHeader)
			);
			mapping = parseMapping(JSON.parse(text), `for ${name}`);
		} catch (e) {
			const reason =
				e instanceof IngestError
					? e.message
					: ingestMessage('upload.badMappingHeader', { detail: (e as Error).message });
			return problem(400, reason);
		}
	}

	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > config.maxUploadBytes) return tooLarge(config.maxUploadBytes);
	if (!request.body) {
		return problem(400, ingestMessage('upload.noBody'));
	}

	const uploads = path.join(config.dataDir, 'uploads');
	// What an earlier process left goes before this process's first upload.
	sweepUploadsOnce(uploads);
	let file: string;
	try {
		({ file } = await saveUpload(request.body, uploads, name, config.maxUploadBytes));
	} catch (e) {
		if (e instanceof UploadTooLargeError) return tooLarge(config.maxUploadBytes);
		return problem(400, ingestMessage('upload.incomplete', { detail: (e as Error).message }));
	}

	const result = await settleAfter(file, async () => {
		// Kept beside the upload so the run's mapping column names a file one can open later.
		let mappingLabel: string | undefined;
		if (mapping) {
			mappingLabel = mappingPath(file);
			writeFileSync(mappingLabel, JSON.stringify(mapping, null, 2));
		}
		const db = await getDb();
		return enqueue(`upload ${name} (${entity})`, () =>
			loadFile(db, {
				entity,
				file,
				mapping,
				mappingLabel,
				mode: mode as LoadMode | undefined,
				format: format as SourceFormat | undefined,
				triggeredBy: `upload:${user.email}`
			})
		);
	});
	return json(result, { status: result.status === 'succeeded' ? 200 : 422 });
};

function problem(status: number, error: string): Response {
	return json({ error }, { status });
}

function tooLarge(max: number): Response {
	return problem(413, ingestMessage('upload.tooLarge', { max }));
}

function decodeHeader(value: string | null): string | null {
	if (!value) return null;
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
