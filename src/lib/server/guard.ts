import { error, redirect } from '@sveltejs/kit';
import type { Role, User } from './users.ts';

// Every protected load, form action and endpoint calls one of these itself: a check in a layout
// does not run for form actions or +server.ts endpoints, and layouts may run in parallel with pages.

/** For pages and form actions: signed out → the sign-in page (then back here); wrong role → 403. */
export function requireUser(locals: App.Locals, roles?: readonly Role[], url?: URL): User {
	const user = locals.user;
	if (!user) {
		const next =
			url && url.pathname !== '/' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
		redirect(303, `/login${next}`);
	}
	if (roles && !roles.includes(user.role)) error(403, 'forbidden');
	return user;
}

/** For +server.ts endpoints: 401 without a session, 403 for a role that may not call it (JSON). */
export function requireApiUser(locals: App.Locals, roles?: readonly Role[]): User {
	const user = locals.user;
	if (!user) error(401, 'Sign in first: this endpoint needs a session cookie.');
	if (roles && !roles.includes(user.role)) {
		error(
			403,
			`Your role (${user.role}) may not call this endpoint; it needs: ${roles.join(', ')}.`
		);
	}
	return user;
}

/** A post-sign-in target from the query string: only same-site paths, never `//host`. */
export function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
		? next
		: '/';
}
