import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Dependencies point one way: src → jobs → analytics, models, ingest → sql (STYLE.md). */
const layer = (files, forbidden) => ({
	files,
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: forbidden.map((dir) => ({
					group: [`**/${dir}/*`, `$${dir}/*`],
					message: `${files[0].split('/')[0]}/ must not import from ${dir}/ (dependencies point src → jobs → analytics/models/ingest → sql).`
				}))
			}
		]
	}
});

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'coverage/', 'screenshots/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.node, ...globals.browser },
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				tsconfigRootDir: import.meta.dirname
			}
		},
		rules: {
			curly: ['error', 'multi-line'],
			'@typescript-eslint/no-floating-promises': 'error',
			// Unused values prefixed with _ are intentional (destructuring away a field).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } }
	},
	{
		// Plain JS launchers and config files are outside the TypeScript project.
		files: ['**/*.js', '**/*.mjs'],
		...ts.configs.disableTypeChecked
	},
	layer(['sql/**'], ['ingest', 'analytics', 'models', 'jobs', 'src', 'cli']),
	layer(['ingest/**'], ['analytics', 'models', 'jobs', 'src', 'cli']),
	layer(['analytics/**'], ['models', 'jobs', 'src', 'cli']),
	layer(['models/**'], ['jobs', 'src', 'cli']),
	layer(['jobs/**'], ['src', 'cli'])
);
