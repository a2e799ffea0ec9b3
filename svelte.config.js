import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Uploads are streamed to disk by the ingest endpoint, so the body limit is enforced there
		// (TENURE_MAX_UPLOAD_BYTES) rather than by the adapter's default 512 KB cap.
		alias: {
			$sql: 'sql',
			$ingest: 'ingest',
			$analytics: 'analytics',
			$models: 'models'
		},
		csrf: { trustedOrigins: [] }
	}
};

export default config;
