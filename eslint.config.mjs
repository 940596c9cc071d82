// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.nx/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
    },
  },
  {
    // The pure libraries are the rules of the product: they must not reach for Nest or the database.
    files: ['libs/shared/src/**/*.ts', 'libs/policy/src/**/*.ts', 'libs/tone/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '@nestjs/*',
            'typeorm',
            'ioredis',
            'bullmq',
            '@toonbank/database',
            '@toonbank/platform',
          ],
        },
      ],
    },
  },
  {
    // Customer text is untrusted: the web app renders text, never HTML.
    files: ['apps/web/src/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render text, never HTML: customer messages are untrusted.',
        },
      ],
    },
  },
  {
    // CommonJS and plain scripts run by Node (the npm start/test tooling, Jest's config).
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['scripts/**/*.mjs', 'tests/**/*.ts', '**/*.spec.ts', '**/*.test.tsx', '**/*.config.*'],
    rules: { 'no-console': 'off' },
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
