import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { RequestEvent } from '@sveltejs/kit';
import type { Db } from '../../../sql/client.ts';
import { insertRows, loadQuery, queryOne } from '../../../sql/query.ts';
import type { Role, User } from './users.ts';

// Sessions after the Lucia guide (lucia-auth.com/sessions/basic): the browser holds a random token
// in an HttpOnly cookie; the database holds only its SHA-256, so a leaked sessions table cannot be
// replayed. Expiry slides: a session used in its second half is extended to a full period again.

const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_MS = 30 * DAY_MS;
const REFRESH_WITHIN_MS = 15 * DAY_MS;

export const SESSION_COOKIE = 'tenure_session';

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
	createdAt: Date;
}

export type SessionValidationResult =
	{ session: Session; user: User } | { session: null; user: null };

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Writes a version of a session row; the newest `updated_at` wins (ReplacingMergeTree). */
async function writeSession(
	db: Db,
	session: Session,
	deleted: boolean,
	tag: string
): Promise<void> {
	await insertRows(
		db,
		'sessions',
		[
			{
				session_id: session.id,
				user_id: session.userId,
				expires_at: session.expiresAt.toISOString(),
				created_at: session.createdAt.toISOString(),
				updated_at: new Date().toISOString(),
				_deleted: deleted ? 1 : 0
			}
		],
		tag
	);
}

export async function createSession(db: Db, token: string, userId: string): Promise<Session> {
	const now = Date.now();
	const session: Session = {
		id: sessionIdOf(token),
		userId,
		expiresAt: new Date(now + SESSION_MS),
		createdAt: new Date(now)
	};
	await writeSession(db, session, false, 'sessions:create');
	return session;
}

interface SessionRow {
	session_id: string;
	user_id: string;
	expires_ms: number | string;
	created_ms: number | string;
	email: string;
	name: string;
	role: Role;
	team: string;
	locale: string;
}

export async function validateSessionToken(
	db: Db,
	token: string
): Promise<SessionValidationResult> {
	const id = sessionIdOf(token);
	const row = await queryOne<SessionRow>(
		db,
		loadQuery('session-validate'),
		{ session_id: id },
		{ tag: 'sessions:validate' }
	);
	if (!row) return { session: null, user: null };
	const session: Session = {
		id: row.session_id,
		userId: row.user_id,
		// Int64 arrives as a number from chDB and may be quoted by a server (TOOLCHAIN.md #5).
		expiresAt: new Date(Number(row.expires_ms)),
		createdAt: new Date(Number(row.created_ms))
	};
	const user: User = {
		user_id: row.user_id,
		email: row.email,
		name: row.name,
		role: row.role,
		team: row.team,
		locale: row.locale
	};
	const now = Date.now();
	if (now >= session.expiresAt.getTime()) {
		await writeSession(db, session, true, 'sessions:expire');
		return { session: null, user: null };
	}
	if (now >= session.expiresAt.getTime() - REFRESH_WITHIN_MS) {
		session.expiresAt = new Date(now + SESSION_MS);
		await writeSession(db, session, false, 'sessions:refresh');
	}
	return { session, user };
}

export async function invalidateSession(db: Db, session: Session): Promise<void> {
	await writeSession(db, session, true, 'sessions:invalidate');
}

type CookieEvent = Pick<RequestEvent, 'cookies' | 'url'>;

export function setSessionTokenCookie(event: CookieEvent, token: string, expiresAt: Date): void {
	event.cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		// Secure only over https: a plain-http LAN install must still be able to sign in.
		secure: event.url.protocol === 'https:',
		expires: expiresAt,
		path: '/'
	});
}

export function deleteSessionTokenCookie(event: CookieEvent): void {
	event.cookies.set(SESSION_COOKIE, '', {
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		maxAge: 0,
		path: '/'
	});
}
