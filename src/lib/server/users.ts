import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '../../../sql/client.ts';
import { insertRows, queryOne } from '../../../sql/query.ts';

// No SvelteKit imports here: the CLI (`tenure user add`) uses this module too.

export const ROLES = ['admin', 'executive', 'manager', 'csm', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
	user_id: string;
	email: string;
	name: string;
	role: Role;
	team: string;
	locale: string;
}

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane).
const ARGON = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };

export class UserError extends Error {
	override name = 'UserError';
}

export function randomPassword(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export async function findUserByEmail(
	db: Db,
	email: string
): Promise<(User & { password_hash: string }) | undefined> {
	return queryOne(
		db,
		'SELECT user_id, email, name, role, team, locale, password_hash FROM users FINAL WHERE email = {email:String} AND _deleted = 0 LIMIT 1',
		{ email: email.trim().toLowerCase() },
		{ tag: 'users:by-email' }
	);
}

export async function createUser(
	db: Db,
	input: {
		email: string;
		name?: string;
		role: Role;
		team?: string;
		locale?: string;
		password: string;
	}
): Promise<User> {
	const email = input.email.trim().toLowerCase();
	if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
		throw new UserError(`'${input.email}' is not an e-mail address.`);
	}
	if (!ROLES.includes(input.role)) throw new UserError(`Role must be one of ${ROLES.join(', ')}.`);
	if (input.password.length < 8) {
		throw new UserError('The password must have at least 8 characters.');
	}
	const existing = await findUserByEmail(db, email);
	const now = new Date().toISOString();
	const user: User = {
		user_id: existing?.user_id ?? randomUUID(),
		email,
		name: input.name ?? existing?.name ?? email.split('@')[0]!,
		role: input.role,
		team: input.team ?? existing?.team ?? '',
		locale: input.locale ?? existing?.locale ?? 'zh-CN'
	};
	await insertRows(
		db,
		'users',
		[
			{
				...user,
				password_hash: await hash(input.password, ARGON),
				created_at: now,
				updated_at: now,
				_deleted: 0
			}
		],
		'users:upsert'
	);
	return user;
}

/** Returns the user when the password matches. Runs argon2 even for unknown e-mails (no timing oracle). */
export async function checkPassword(db: Db, email: string, password: string): Promise<User | null> {
	const row = await findUserByEmail(db, email);
	const stored =
		row?.password_hash ??
		'$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0jY1rWcBcZ1o5wHBKvLJVvhRkc0Tx6xTBWkWnG7kqgI';
	const ok = await verify(stored, password).catch(() => false);
	if (!row || !ok) return null;
	const { password_hash: _h, ...user } = row;
	return user;
}

/**
 * On a fresh install, creates the first admin so someone can sign in. The password comes from
 * TENURE_ADMIN_PASSWORD or is generated and returned once, for the start-up log.
 */
export async function ensureAdmin(
	db: Db,
	email = 'admin@tenure.local'
): Promise<{ email: string; password: string } | null> {
	const row = await queryOne<{ n: number }>(
		db,
		'SELECT count() AS n FROM users FINAL WHERE _deleted = 0',
		{},
		{ tag: 'users:count' }
	);
	if (Number(row?.n ?? 0) > 0) return null;
	const password = process.env.TENURE_ADMIN_PASSWORD || randomPassword();
	await createUser(db, { email, name: 'Admin', role: 'admin', password });
	return { email, password };
}
