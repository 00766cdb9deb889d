// ESLint: typescript-eslint's type-aware recommended rules for the TypeScript, plain recommended for the JavaScript.
// `npm run lint` checks the tree; LINT_PATHS="src/a.ts test/b.ts" npm run lint checks only those.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Generated, built or not ours; openapi-client/program.ts is type-checked against a schema generated at test time.
  { ignores: ['dist/', 'coverage/', '.data/', 'node_modules/', 'src/generated/', 'test/http/openapi-client/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // prisma.config.ts is read by the Prisma CLI and is in no tsconfig: checked with the default options.
      parserOptions: { projectService: { allowDefaultProject: ['prisma.config.ts'] }, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // Express handlers and callbacks name the arguments they must take but do not use with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An `async` method without `await` implements a Promise-returning interface (hooks, probes, close()): made
      // non-async it would throw synchronously where callers expect a rejected promise.
      '@typescript-eslint/require-await': 'off',
      // Passing on a caught error or an AbortSignal's reason as it came is right: wrapping it would hide its type.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    // Tests assert on parsed bodies (supertest's res.body, JSON.parse) that are `any` by design, and hand jest's
    // expect() methods of mocks: the any-flow and unbound-method rules would flag the assertions themselves.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: globals.node },
    // `const { limit, ...rest } = o` is how a property is left out of a copy.
    rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  { files: ['**/*.cjs', 'jest.config.js', 'jest.ui.config.js'], languageOptions: { sourceType: 'commonjs' } },
  // The browser UI's own modules (served as they are, no bundler).
  { files: ['src/http/ui/assets/**/*.js'], languageOptions: { globals: globals.browser, sourceType: 'module' } },
);
