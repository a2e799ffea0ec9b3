import { getConfig } from '$lib/server/db';
import type { LayoutServerLoad } from './$types';

// Shared by every page: who is signed in (for the top bar), the UI language and the time zone
// dates are shown in. Not an access check: each page's own load does that.
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user && { email: locals.user.email, name: locals.user.name, role: locals.user.role },
	locale: locals.locale,
	timeZone: getConfig().timezone
});
