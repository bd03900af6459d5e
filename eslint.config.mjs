// ESLint (flat config) with typescript-eslint, on the shipped packages' sources. The house rule that matters
// most: code that runs in more than one place may not reach for a runtime's globals by accident.
// - packages/protocol runs in browsers, workers and Node: no DOM globals, no Node globals.
// - browser code (widget, scorer, assets, react) runs in pages and workers: no Node globals.
// A deliberate use goes through `globalThis` with a feature check (see create-scorer.ts' pageBase()).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const names = (...sets) => [...new Set(sets.flatMap((s) => Object.keys(s)))];
const ban = (list, where) => list.map((name) => ({ name, message: `${name} is a runtime global; ${where}` }));
const nodeOnly = names(globals.node).filter((n) => !(n in globals.browser) && !(n in globals.worker));
const domOnly = names(globals.browser).filter((n) => !(n in globals.node) && !['console'].includes(n));
const builtins = new Set(names(globals.es2021));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.d.ts', 'examples/**', 'scripts/**', 'models/**'] },
  {
    files: ['packages/*/src/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Types and globals are checked by tsc; ESLint's copy of the check only knows a fixed list.
      'no-undef': 'off',
      // `h` and `Fragment` are the JSX factory (esbuild's jsxFactory), used by the compiled JSX.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^(_|h$|Fragment$)', caughtErrors: 'none' }],
      // The validators match control characters on purpose (they are refused in text).
      'no-control-regex': 'off',
      // A few deliberate `any`-free casts through unknown are fine; explicit any is not.
      '@typescript-eslint/no-explicit-any': 'error',
      // `void promise` marks a floating promise on purpose.
      'no-void': 'off',
    },
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...ban(nodeOnly.filter((n) => !builtins.has(n)), 'packages/protocol runs in browsers, workers and Node'), ...ban(domOnly.filter((n) => !builtins.has(n)), 'packages/protocol runs in browsers, workers and Node')],
    },
  },
  {
    files: ['packages/widget/src/**/*.{ts,tsx}', 'packages/scorer/src/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...ban(nodeOnly.filter((n) => !builtins.has(n)), 'browser code runs in pages and workers')],
    },
  },
);
