#!/usr/bin/env node
// `npm start`: build the portal when the build is missing or older than the sources, then serve it.
// The server's init hook migrates the database, loads the demo data set into an empty one and
// prints where to sign in.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const built = path.join(root, 'build', 'index.js');
const sources = [
	'src',
	'sql',
	'ingest',
	'analytics',
	'models',
	'jobs',
	'svelte.config.js',
	'vite.config.ts',
	'package.json'
];

function newest(p) {
	if (!existsSync(p)) return 0;
	const st = statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let t = st.mtimeMs;
	for (const e of readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
	return t;
}

const stale =
	!existsSync(built) || sources.some((s) => newest(path.join(root, s)) > statSync(built).mtimeMs);
if (stale) {
	console.log('Building the portal (first start or sources changed)…');
	const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}
const env = {
	PORT: '3000',
	// Uploads stream to disk and enforce TENURE_MAX_UPLOAD_BYTES themselves.
	BODY_SIZE_LIMIT: 'Infinity',
	...process.env
};
// ORIGIN is left unset unless given: SvelteKit then trusts the request's own host, so the portal
// works from a LAN address too (a fixed localhost ORIGIN fails the CSRF check there).
const server = spawn(process.execPath, [built], { cwd: root, env, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
