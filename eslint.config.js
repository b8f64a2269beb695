// Lint: typescript-eslint's recommended rules plus the layer rules that keep each folder
// on its side of ARCHITECTURE.md's dependency directions. A wrong import fails CI.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import misPlugin from './eslint/layers.js';

const nodeBuiltins = [...builtinModules.filter((name) => !name.startsWith('_')), ...builtinModules.map((name) => `node:${name}`)];

const electronOnlyHere = {
  name: 'electron',
  message: 'Only main/electron/ and preload/ may import electron: everything else must run in plain Node (ARCHITECTURE.md).',
};

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    plugins: { mis: misPlugin },
    rules: {
      'mis/layers': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnlyHere] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['main/electron/**', 'preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // A hook called conditionally crashes the screen at run time (React error 310): caught here instead.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnlyHere,
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a sandboxed browser page: no Node built-ins. Ask main through window.mis.' })),
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**'],
    ignores: ['domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnlyHere,
            ...nodeBuiltins.map((name) => ({ name, message: 'domain/ holds pure rules: no I/O and no Node built-ins.' })),
          ],
        },
      ],
    },
  },
);
