// One lint gate: typescript-eslint strict (type-aware) for main/ and test/, svelte for renderer/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { PURE_SHARED } from './.ci/import-graph.mjs';

// [Note: rooms] (.ci/import-graph.mjs) orders the rooms; these rules say the single-import part of it
// where it is written, the graph check (also in `npm run lint`) the order and the circles.
const noElectron = { name: 'electron', message: 'Only main/app imports Electron.' };
const engineNoHosts = {
  regex: '^(\\.\\./)+(app|server|cli|host)(/|$)',
  message: 'The engine never imports a host (main/app, main/server, main/cli, main/host).',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'renderer/dist',
      'out',
      'dist',
      'release',
      'resources/models',
      'test-results',
      '.visage',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Typed-array maths indexes by number all the time; non-null assertions there are deliberate.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser },
    },
  },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['main/**/*.{ts,mjs,cjs}'],
    ignores: ['main/app/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['main/engine/**/*.{ts,mjs,cjs}'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [engineNoHosts] }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { regex: '/main/(?!api/)', message: 'The renderer sees only the contract (main/api).' },
            {
              regex: `/main/api/(?!(${PURE_SHARED.map((f) => f.replace(/^main\/api\/|\.ts$/g, '')).join('|')})$)`,
              allowTypeImports: true,
              message: 'The renderer imports only types from main/api (import type).',
            },
          ],
        },
      ],
    },
  },
);
