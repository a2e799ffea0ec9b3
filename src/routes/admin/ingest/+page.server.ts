import { entityNames } from '../../../../ingest/entities.ts';
import { getDb } from '$lib/server/db';
import { inboxDir } from '$lib/server/drop-folder';
import { requireUser } from '$lib/server/guard';
import { countRuns, listRuns } from '$lib/server/ingest-runs';
import { queueStatus } from '$lib/server/jobs';
import { pageParam } from '$lib/server/paging';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, ['admin'], url);
	const db = await getDb();
	const total = await countRuns(db);
	const { page, pages, offset } = pageParam(url, total, PAGE_SIZE);
	return {
		runs: await listRuns(db, PAGE_SIZE, offset),
		page,
		pages,
		entities: entityNames(),
		queue: queueStatus(),
		inbox: inboxDir(db.dataDir)
	};
};
