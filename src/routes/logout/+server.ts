import { redirect } from '@sveltejs/kit';
import { deleteSessionTokenCookie, invalidateSession } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

// Signing out is a POST from the top bar's form, so a link or a prefetch never signs anyone out.
// SvelteKit's CSRF check rejects cross-site form posts here like it does for form actions.
export const POST: RequestHandler = async (event) => {
	if (event.locals.session) await invalidateSession(await getDb(), event.locals.session);
	deleteSessionTokenCookie(event);
	redirect(303, '/login');
};
