import path from 'node:path';
import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../sql/config.ts';

const messageOf = (env: Record<string, string>): string => {
	try {
		loadConfig(env);
	} catch (e) {
		expect(e).toBeInstanceOf(ConfigError);
		return (e as Error).message;
	}
	throw new Error('expected a ConfigError');
};

test('defaults: embedded engine under ./data, Shanghai time, port 3000', () => {
	const c = loadConfig({});
	expect(c.dataDir).toBe(path.resolve('./data'));
	expect(c.clickhouse).toEqual({
		mode: 'embedded',
		path: path.join(path.resolve('./data'), 'clickhouse')
	});
	expect([c.timezone, c.port, c.jobs, c.maxUploadBytes]).toEqual([
		'Asia/Shanghai',
		3000,
		true,
		4 * 1024 ** 3
	]);
});

test('a server URL selects server mode, with the cluster when given', () => {
	const c = loadConfig({
		CLICKHOUSE_URL: 'http://ch:8123',
		CLICKHOUSE_CLUSTER: 'tenure_cluster',
		PORT: '8080'
	});
	expect(c.clickhouse).toEqual({
		mode: 'server',
		url: 'http://ch:8123',
		username: 'default',
		password: '',
		database: 'tenure',
		cluster: 'tenure_cluster'
	});
	expect(c.port).toBe(8080);
});

test('an unknown time zone names TENURE_TZ', () => {
	expect(messageOf({ TENURE_TZ: 'Mars/Olympus_Mons' })).toBe(
		'Invalid configuration:\n  TENURE_TZ: is not an IANA time zone (e.g. Asia/Shanghai, UTC)'
	);
});

test('a cluster without a server URL names CLICKHOUSE_CLUSTER', () => {
	expect(messageOf({ CLICKHOUSE_CLUSTER: 'tenure_cluster' })).toBe(
		'Invalid configuration:\n  CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL (a cluster is only reachable through a server)'
	);
});

test.each(['0', '65536', '3000.5', 'http'])('PORT=%s is refused, naming PORT', (port) => {
	expect(messageOf({ PORT: port })).toMatch(/^Invalid configuration:\n {2}PORT: /);
});

test('every problem is reported at once, each by its variable', () => {
	const lines = messageOf({
		PORT: '99999',
		TENURE_TZ: 'Nowhere',
		CLICKHOUSE_DATABASE: 'my-db',
		TENURE_JOBS: 'maybe'
	})
		.split('\n')
		.slice(1)
		.map((l) => l.trim().split(':')[0])
		.sort();
	expect(lines).toEqual(['CLICKHOUSE_DATABASE', 'PORT', 'TENURE_JOBS', 'TENURE_TZ']);
});

test('a URL that is not http(s) names CLICKHOUSE_URL', () => {
	expect(messageOf({ CLICKHOUSE_URL: 'tcp://ch:9000' })).toMatch(
		/^Invalid configuration:\n {2}CLICKHOUSE_URL: /
	);
});
