import { fail, redirect } from '@sveltejs/kit';
import { createSession, generateSessionToken, setSessionTokenCookie } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { safeNext } from '$lib/server/guard';
import { loginLimiter } from '$lib/server/rate-limit';
import { checkPassword } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return {};
};

export type LoginError = 'invalid' | 'missing' | 'tooMany';

export const actions: Actions = {
	default: async (event) => {
		const ip = event.getClientAddress();
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (loginLimiter.isBlocked(ip)) return fail(429, { email, error: 'tooMany' as LoginError });
		if (!email || !password) return fail(400, { email, error: 'missing' as LoginError });

		const db = await getDb();
		const user = await checkPassword(db, email, password);
		if (!user) {
			loginLimiter.recordFailure(ip);
			return fail(400, { email, error: 'invalid' as LoginError });
		}
		loginLimiter.reset(ip);
		const token = generateSessionToken();
		const session = await createSession(db, token, user.user_id);
		setSessionTokenCookie(event, token, session.expiresAt);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
