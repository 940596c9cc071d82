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
    // libs/conversations owns every write to a conversation; others use what its index exports.
    // (.ts only: the web app's .tsx files keep their own no-restricted-syntax rule below.)
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['libs/conversations/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            ':matches(ImportDeclaration, ImportExpression, ExportAllDeclaration, ExportNamedDeclaration)[source.value=/(^@toonbank\\/conversations\\/|(^|\\/)conversations\\/src(\\/|$))/]',
          message:
            "Import from '@toonbank/conversations' (its index), never its files: conversation writes go through what it exports.",
        },
      ],
    },
  },
  {
    // The fake peers (@toonbank/channels/testing) are for the tests, the benchmarks and the demo
    // (scripts/demo-peers): production code never loads them. The typescript-eslint variant of
    // the rule, so that it adds to the core no-restricted-imports blocks instead of replacing them.
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts', 'apps/*/src/**/*.tsx'],
    ignores: [
      '**/*.spec.ts',
      '**/*.test.tsx',
      'libs/channels/src/testing.ts',
      'libs/channels/src/fakes/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@toonbank/channels/testing', '**/fakes', '**/fakes/**'],
              message: 'Fake peers are for tests and scripts only (@toonbank/channels/testing).',
            },
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
    files: [
      'scripts/**/*.mjs',
      'tests/**/*.ts',
      'libs/*/tests/**/*.ts',
      '**/*.spec.ts',
      '**/*.test.tsx',
      '**/*.config.*',
    ],
    rules: { 'no-console': 'off' },
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
