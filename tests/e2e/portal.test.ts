import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * The built portal end to end: `node build/index.js` on a free port with its own data directory,
 * the demo loaded at start-up (300 accounts), driven by Debian's Chromium through playwright-core.
 * Screenshots of every page, in both languages, land in screenshots/ (git-ignored).
 */

const root = path.resolve(import.meta.dirname, '../..');
const shots = path.join(root, 'screenshots');
const PASSWORD = 'e2e-admin-password';
const ADMIN = 'admin@tenure.local';
const LOCALES = ['zh-CN', 'en'] as const;

let server: ChildProcess;
let serverLog = '';
let dataDir: string;
let base: string;
let browser: Browser;
let admin: BrowserContext;
let sessionCookie: string;

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) {
			throw new Error(`The portal exited (${server.exitCode}):\n${serverLog}`);
		}
		try {
			const res = await fetch(url, { redirect: 'manual' });
			if (res.status < 500) return;
		} catch {
			// not listening yet (the demo loads before the server listens)
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`The portal did not answer within ${timeoutMs / 1000} s:\n${serverLog}`);
}

async function signIn(page: Page, password: string): Promise<void> {
	await page.fill('#email', ADMIN);
	await page.fill('#password', password);
	await page.click('button[type=submit]');
}

async function shot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

function upload(
	entity: string,
	body: string,
	headers: Record<string, string> = {}
): Promise<Response> {
	return fetch(`${base}/api/ingest/${entity}?filename=${encodeURIComponent('e2e 新客户.csv')}`, {
		method: 'POST',
		headers: { 'content-type': 'text/csv', ...headers },
		body
	});
}

beforeAll(async () => {
	if (!existsSync(path.join(root, 'build', 'index.js'))) {
		execSync('npx vite build', { cwd: root, stdio: 'inherit' });
	}
	mkdirSync(shots, { recursive: true });
	dataDir = mkdtempSync(path.join(tmpdir(), 'tenure-e2e-'));
	const port = await freePort();
	base = `http://localhost:${port}`;
	server = spawn(process.execPath, ['build/index.js'], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(port),
			TENURE_DATA_DIR: dataDir,
			TENURE_ADMIN_PASSWORD: PASSWORD,
			TENURE_DEMO_ACCOUNTS: '300',
			TENURE_DEMO: 'on',
			TENURE_JOBS: 'on',
			BODY_SIZE_LIMIT: 'Infinity',
			ORIGIN: base
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
	server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
	await waitForServer(`${base}/login`, 180_000);

	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	});
	admin = await browser.newContext({ baseURL: base, viewport: { width: 1360, height: 860 } });
}, 240_000);

afterAll(async () => {
	await browser?.close();
	if (server && server.exitCode === null) {
		const exited = new Promise((r) => server.once('exit', r));
		server.kill('SIGTERM');
		await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
		if (server.exitCode === null) server.kill('SIGKILL');
	}
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('portal', () => {
	test('start-up loads the demo and says where to sign in', () => {
		expect(serverLog).toContain(`Sign in at ${base}/login as ${ADMIN}`);
		expect(serverLog).toContain(`Tenure is running on ${base}`);
		expect(serverLog).not.toMatch(/FAILED/);
	});

	test('signed out, / redirects to the sign-in page', async () => {
		const page = await admin.newPage();
		await page.goto('/');
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.close();
	});

	test('a wrong password shows an error', async () => {
		const page = await admin.newPage();
		await page.goto('/login');
		await signIn(page, 'not-the-password');
		const error = page.getByTestId('login-error');
		await error.waitFor();
		expect(await error.textContent()).toContain('邮箱或密码不正确');
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.close();
	});

	test('the right password lands on the data status page with the demo accounts', async () => {
		const page = await admin.newPage();
		await page.goto('/login');
		await signIn(page, PASSWORD);
		await page.waitForURL(`${base}/`);
		expect((await page.getByTestId('rows-accounts').textContent())?.trim()).toBe('300');
		const cookie = (await admin.cookies()).find((c) => c.name === 'tenure_session');
		expect(cookie?.httpOnly).toBe(true);
		expect(cookie?.sameSite).toBe('Lax');
		expect(cookie?.secure).toBe(false);
		sessionCookie = `${cookie!.name}=${cookie!.value}`;
		await page.close();
	});

	test('/admin/ingest lists the demo loads', async () => {
		const page = await admin.newPage();
		await page.goto('/admin/ingest');
		const runs = page.locator('tr[data-run-id]');
		expect(await runs.count()).toBeGreaterThanOrEqual(10);
		await page.close();
	});

	test('the upload API loads a CSV for an admin session', async () => {
		const csv =
			'account_id,name,created_at\nE2E-0001,E2E 新客户甲,2024-01-15\nE2E-0002,E2E Customer B,2024-02-20\n';
		const res = await upload('accounts', csv, { cookie: sessionCookie });
		const body = await res.json();
		expect(res.status, JSON.stringify(body)).toBe(200);
		expect(body.status).toBe('succeeded');
		expect(body.rowsRead).toBe(2);
		expect(body.rowsNew).toBe(2);
	});

	test('the upload API answers 401 without a session and 400 for an unknown entity', async () => {
		const anonymous = await upload('accounts', 'account_id,name,created_at\n');
		expect(anonymous.status).toBe(401);
		const unknown = await upload('acounts', 'x\n', { cookie: sessionCookie });
		expect(unknown.status).toBe(400);
		expect((await unknown.json()).error).toContain("Did you mean 'accounts'?");
	});

	test('the upload form shows progress, the result, and the run page its rejects', async () => {
		const page = await admin.newPage();
		await page.goto('/admin/ingest?lang=en');
		const csv =
			'account_id,name,created_at\nE2E-0003,Upload Form Ltd,2024-03-01\nE2E-0004,,2024-03-02\n';
		await page.setInputFiles('#upload-file', {
			name: 'accounts-form.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv)
		});
		await page.click('form.upload button[type=submit]');
		const result = page.getByTestId('upload-result');
		await result.waitFor({ timeout: 60_000 });
		expect(await result.getAttribute('data-status')).toBe('succeeded');
		expect(await result.textContent()).toContain('Load succeeded');
		await shot(page, 'admin-ingest-upload-result.en');

		await result.getByRole('link').click();
		await page.waitForURL(/\/admin\/ingest\/[0-9a-f-]{36}$/);
		const rejects = page.getByTestId('rejects');
		await rejects.waitFor();
		expect(await rejects.textContent()).toContain('name');
		expect(await rejects.textContent()).toContain('required but empty');
		await shot(page, 'run-with-rejects.en');
		// The same stored reason in the Chinese UI.
		await page.goto(`${page.url()}?lang=zh-CN`);
		await rejects.waitFor();
		expect(await rejects.textContent()).toContain('必填，但为空');
		await shot(page, 'run-with-rejects.zh-CN');
		await page.close();
	});

	test('screenshots of every page in both languages', async () => {
		for (const locale of LOCALES) {
			const anonymous = await browser.newContext({
				baseURL: base,
				viewport: { width: 1360, height: 860 }
			});
			const login = await anonymous.newPage();
			await login.goto(`/login?lang=${locale}`);
			expect(await login.getAttribute('html', 'lang')).toBe(locale);
			await shot(login, `login.${locale}`);
			await anonymous.close();

			const page = await admin.newPage();
			await page.goto(`/?lang=${locale}`);
			expect(await page.getAttribute('html', 'lang')).toBe(locale);
			expect((await page.getByTestId('rows-accounts').textContent())?.trim()).toBe('303');
			await shot(page, `home.${locale}`);
			await page.goto('/admin/ingest');
			await shot(page, `admin-ingest.${locale}`);
			await page.locator('tr[data-run-id] a').first().click();
			await page.waitForURL(/\/admin\/ingest\/[0-9a-f-]{36}$/);
			await shot(page, `run.${locale}`);
			await page.close();
		}
	});

	test('signing out ends the session', async () => {
		const page = await admin.newPage();
		await page.goto('/');
		await page.click('form[action="/logout"] button');
		await page.waitForURL(`${base}/login`);
		const res = await upload('accounts', 'account_id,name,created_at\n', { cookie: sessionCookie });
		expect(res.status).toBe(401);
		await page.close();
	});

	test('ten failed sign-ins in a minute lock the address out', async () => {
		const page = await admin.newPage();
		await page.goto('/login?lang=en');
		for (let i = 0; i < 10; i++) {
			// One attempt at a time: wait for each answer, so every failure is counted before the next.
			const answered = page.waitForResponse(
				(r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'
			);
			await signIn(page, `wrong-${i}`);
			await answered;
		}
		await signIn(page, PASSWORD);
		await page.getByText('Too many failed sign-in attempts').waitFor();
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.close();
	});
});
