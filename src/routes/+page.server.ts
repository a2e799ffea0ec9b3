import { requireUser } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { entityStatus } from '$lib/server/data-status';
import { listRuns } from '$lib/server/ingest-runs';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, undefined, url);
	const db = await getDb();
	const [entities, runs] = await Promise.all([entityStatus(db), listRuns(db, 10)]);
	return { entities, runs, isAdmin: user.role === 'admin' };
};
