import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { fs: { allow: ['sql', 'ingest', 'analytics', 'models'] } },
	ssr: {
		// Native engines are loaded at run time from node_modules, never bundled.
		external: ['chdb', '@node-rs/argon2', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']
	},
	test: {
		// libchdb crashes when a worker thread that loaded it exits (TOOLCHAIN.md #3): forks only.
		pool: 'forks',
		expect: { requireAssertions: true },
		testTimeout: 60_000,
		hookTimeout: 120_000,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] }
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['tests/sql/**/*.test.ts', 'tests/integration/**/*.test.ts']
				}
			},
			{
				extends: true,
				test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], fileParallelism: false }
			}
		]
	}
});
