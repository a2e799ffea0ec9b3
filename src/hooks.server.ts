import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { ConfigError } from '../sql/config.ts';
import { DataDirLockedError, type Db } from '../sql/client.ts';
import { MigrationError } from '../sql/migrate.ts';
import { recoverRuns, type LoadProgress } from '../ingest/load.ts';
import { isEmpty, runDemo } from '../jobs/demo.ts';
import { deriveAll } from '../jobs/derive.ts';
import { isLocale } from './lib/i18n/messages.ts';
import {
	deleteSessionTokenCookie,
	SESSION_COOKIE,
	setSessionTokenCookie,
	validateSessionToken
} from './lib/server/auth.ts';
import { closeDb, getConfig, getDb } from './lib/server/db.ts';
import { startDropFolder } from './lib/server/drop-folder.ts';
import { sweepUploadsOnce } from './lib/server/upload.ts';
import { enqueue } from './lib/server/jobs.ts';
import { LANG_COOKIE, pickLocale } from './lib/server/locale.ts';
import { ensureAdmin } from './lib/server/users.ts';

/** Problems an operator fixes by reading one message (no stack trace). */
const STARTUP_ERRORS = [ConfigError, DataDirLockedError, MigrationError];

/**
 * Runs once before the server accepts requests (adapter-node awaits it before listening): open and
 * migrate the database, finish interrupted loads, make sure someone can sign in, load the demo
 * into an empty install, start the inbox watcher.
 */
export const init: ServerInit = async () => {
	let db: Db;
	try {
		db = await getDb();
	} catch (e) {
		if (STARTUP_ERRORS.some((cls) => e instanceof cls)) {
			console.error(`Tenure cannot start: ${(e as Error).message}`);
			process.exit(1);
		}
		throw e;
	}
	const config = getConfig();
	// `vite dev` serves on its own port (5173 unless told otherwise), not on PORT.
	const port = dev && !process.env.PORT ? 5173 : config.port;
	const base = `http://localhost:${port}`;

	for (const r of await recoverRuns(db)) {
		console.log(`Recovered interrupted load ${r.runId}: ${r.action}`);
	}
	// Uploads an earlier process left unfinished, and failed ones past their retention.
	sweepUploadsOnce(path.join(config.dataDir, 'uploads'));

	const admin = await ensureAdmin(db);
	if (admin) {
		const password = process.env.TENURE_ADMIN_PASSWORD
			? 'set in TENURE_ADMIN_PASSWORD'
			: admin.password;
		console.log(
			`\n  Sign in at ${base}/login as ${admin.email} with password ${password}\n  (shown once; to change it, stop the portal and run \`npx tenure user add\`)\n`
		);
	}

	let stopInbox: (() => void) | null = null;
	if (config.jobs) {
		if (process.env.TENURE_DEMO !== 'off' && (await isEmpty(db))) {
			// A demo that cannot load must not keep the portal from starting: the operator can still
			// sign in and load real data. An interrupted commit is finished by recoverRuns next start.
			await loadDemo(db).catch((e: unknown) =>
				console.error(`The demo could not be loaded: ${e instanceof Error ? e.message : String(e)}`)
			);
		}
		const inbox = startDropFolder(db, { log: (line) => console.log(line) });
		stopInbox = inbox.stop;
	}

	// adapter-node emits this after it stops accepting requests (SIGTERM/SIGINT).
	process.once('sveltekit:shutdown', () => {
		stopInbox?.();
		void closeDb();
	});

	console.log(`Tenure is running on ${base}`);
};

async function loadDemo(db: Db): Promise<void> {
	const accounts = Number(process.env.TENURE_DEMO_ACCOUNTS ?? 5000);
	console.log(
		`The database is empty: loading the demo data set before serving (set TENURE_DEMO=off to skip).`
	);
	const started = Date.now();
	const results = await enqueue('demo', () =>
		runDemo(db, {
			accounts,
			seed: 42,
			log: console.log,
			onFile: (file, entity) => {
				let last: LoadProgress['phase'] | null = null;
				return (p) => {
					if (p.phase === last) return;
					last = p.phase;
					const name = file.split('/').pop();
					if (p.phase === 'reading') console.log(`  ${entity}: reading ${name}`);
					if (p.phase === 'done') {
						console.log(`  ${entity}: ${p.rows.toLocaleString('en-US')} rows`);
					}
				};
			}
		})
	);
	const failed = results.filter((r) => r.status === 'failed');
	for (const r of failed) console.log(`  ${r.entity}: FAILED: ${r.error}`);
	console.log(
		`Demo ${failed.length ? 'loaded with errors' : 'loaded'}: ${results.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s.`
	);
	if (!failed.length) await enqueue('derive', () => deriveAll(db, { log: console.log }));
}

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { session, user } = await validateSessionToken(await getDb(), token);
		if (session) setSessionTokenCookie(event, token, session.expiresAt);
		else deleteSessionTokenCookie(event);
		event.locals.session = session;
		event.locals.user = user;
	}

	// `?lang=en` on any page stores the choice in a cookie and reloads the same URL without it.
	const lang = event.url.searchParams.get('lang');
	if (lang !== null && event.request.method === 'GET' && !event.isDataRequest) {
		if (isLocale(lang)) {
			event.cookies.set(LANG_COOKIE, lang, {
				path: '/',
				maxAge: 365 * 24 * 60 * 60,
				sameSite: 'lax',
				httpOnly: true,
				secure: event.url.protocol === 'https:'
			});
		}
		const clean = new URL(event.url);
		clean.searchParams.delete('lang');
		redirect(303, clean.pathname + clean.search);
	}
	event.locals.locale = pickLocale(event.cookies.get(LANG_COOKIE), event.locals.user?.locale);

	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%tenure.lang%', event.locals.locale)
	});
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message };
	const errorId = randomUUID().slice(0, 8);
	console.error(`[error ${errorId}] ${event.request.method} ${event.url.pathname}:`, error);
	return { message, errorId };
};
