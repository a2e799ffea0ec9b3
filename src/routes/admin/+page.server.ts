import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

// /admin is the address start-up messages point to; its only section so far is data import.
export const load: PageServerLoad = ({ locals, url }) => {
	requireUser(locals, ['admin'], url);
	redirect(307, '/admin/ingest');
};
