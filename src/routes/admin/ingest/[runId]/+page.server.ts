import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/guard';
import { countRejects, getRun, listRejects } from '$lib/server/ingest-runs';
import { pageParam } from '$lib/server/paging';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 100;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	requireUser(locals, ['admin'], url);
	const db = await getDb();
	const run = await getRun(db, params.runId);
	if (!run) error(404, 'No such load');
	const total = await countRejects(db, run.runId);
	const { page, pages, offset } = pageParam(url, total, PAGE_SIZE);
	return {
		run,
		rejects: await listRejects(db, run.runId, PAGE_SIZE, offset),
		rejectsTotal: total,
		page,
		pages
	};
};
