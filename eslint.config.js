// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Rules that catch bugs, with type information; layout is Prettier's alone
 * (eslint-config-prettier, last, turns off every rule it would fight with).
 */
export default defineConfig(
  // The client program compiles against a client generated at test time (test/docs/generated-client.e2e-spec.ts).
  // web/ is its own package, type-checked by its build (`tsc --noEmit` in web/package.json).
  { ignores: ['dist/', 'coverage/', 'data/', 'bench-data/', 'test/fixtures/', 'test-artifacts/', 'web/'] },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The TypeScript files come from tsconfig.json; the JavaScript
        // configuration files around them get a default project.
        projectService: {
          allowDefaultProject: ['*.js', '*.cjs', 'scripts/*.js', 'scripts/*.mjs', 'test/*.mjs', 'test/helpers/*.mjs'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 24,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are unused on purpose (a signature to honour, a value to drop).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Numbers, booleans and nullish values read fine in a message; objects print as [object Object].
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      // A switch over a union must name every member, or say what the others get with `default`.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // The service logs through Nest's Logger (structured, levelled); scripts may print.
    files: ['src/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // A route that reads a body says so with common/decorators' `Body`: with Nest's own, every field is refused.
    files: ['src/**'],
    ignores: ['src/common/decorators/body.decorator.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/common',
              importNames: ['Body'],
              message:
                'Use Body from src/common/decorators/body.decorator.ts: it marks the route as one that reads a body.',
            },
          ],
        },
      ],
    },
  },

  {
    // Plain JavaScript: configuration files, scripts and Jest's global setup, run by Node as they
    // are. The floating-promise and misused-promise checks still apply; values that come in
    // untyped (environment, JSON, `globalThis`) are `any` by nature here, so the unsafe-* checks
    // would only ask for JSDoc casts.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      // supertest types every response body as `any`, and reading it is what a test does:
      // typing each body first would only restate the assertions that follow.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  prettier,
);
