// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * The layers (README.md, "Where things live"): each lib names the libs it may import; any
 * other `@toonbank/*` lib, or another lib's files by a relative path, fails the lint (and so
 * `npm test`, whose static check runs ESLint). One core `no-restricted-imports` block per lib
 * or app, holding all its restrictions: a later flat-config block for the same rule and file
 * replaces an earlier one's options instead of adding to them. (The fake peers' rule below
 * uses the typescript-eslint variant of the rule, so it adds to these.)
 */
const LIBS = [
  'shared',
  'policy',
  'tone',
  'channels',
  'database',
  'platform',
  'audit',
  'conversations',
  'users',
  'auth',
  'org',
  'routing',
  'sla',
  'reports',
  'templates',
  'channel-accounts',
  'ingest',
  'replies',
];
const SERVER_BASE = ['shared', 'policy', 'database', 'platform', 'audit'];
/** What each lib may import, besides itself. */
const MAY_IMPORT = {
  shared: [],
  policy: ['shared'],
  tone: ['shared'],
  // The connectors speak to networks; they know nothing of accounts, conversations or replies.
  channels: ['shared'],
  database: ['shared', 'policy', 'migrations'],
  platform: ['shared', 'database'],
  audit: ['shared', 'database', 'platform'],
  conversations: SERVER_BASE,
  users: [...SERVER_BASE, 'conversations'],
  auth: [...SERVER_BASE, 'users'],
  org: [...SERVER_BASE, 'conversations', 'users'],
  routing: [...SERVER_BASE, 'conversations'],
  sla: [...SERVER_BASE, 'conversations'],
  reports: SERVER_BASE,
  templates: [...SERVER_BASE, 'tone', 'conversations'],
  'channel-accounts': [...SERVER_BASE, 'channels'],
  ingest: [...SERVER_BASE, 'channels', 'channel-accounts', 'conversations', 'sla'],
  // Not ingest: replies reach the channel accounts through libs/channel-accounts.
  replies: [...SERVER_BASE, 'channels', 'channel-accounts', 'conversations', 'templates', 'users'],
};
/** The pure libraries are the rules of the product: they must not reach for Nest or the database. */
const PURE = ['shared', 'policy', 'tone'];
const FRAMEWORK = ['@nestjs/*', 'typeorm', 'ioredis', 'bullmq'];

const forbiddenLibs = (owner, allowed) => ({
  group: [...LIBS, 'migrations'] // the migrations package: the database lib's data source only
    .filter((lib) => lib !== owner && !allowed.includes(lib))
    .flatMap((lib) => [`@toonbank/${lib}`, `@toonbank/${lib}/*`]),
  message: `A layer this code may not import (README.md, "Where things live"; eslint.config.mjs MAY_IMPORT).`,
});
/** Another lib's files by a relative path (`../../ingest/src/...`): libs meet through their index. */
const OTHER_LIBS_FILES = {
  regex: '^(\\.\\./)+(libs/)?[a-z-]+/src(/|$)',
  message: "Import another lib by its name ('@toonbank/...'), never its files.",
};

const layerBlocks = [
  ...LIBS.map((lib) => ({
    files: [`libs/${lib}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbiddenLibs(lib, MAY_IMPORT[lib]),
            OTHER_LIBS_FILES,
            ...(PURE.includes(lib)
              ? [{ group: FRAMEWORK, message: 'A pure lib: no framework, no database.' }]
              : []),
          ],
        },
      ],
    },
  })),
  {
    // The web app runs in the browser: only the pure libs.
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbiddenLibs('web', PURE),
            { group: FRAMEWORK, message: 'The web app runs in the browser.' },
          ],
        },
      ],
    },
  },
  {
    // The worker serves no HTTP: no controller, so none of the api-only libs and no API module.
    files: ['apps/worker/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@toonbank/auth',
                '@toonbank/org',
                '@toonbank/reports',
                '@toonbank/templates',
              ],
              message: 'An api-only lib: the worker loads no controller.',
            },
            {
              group: ['@toonbank/*'],
              importNamePattern:
                '(ApiModule|^RepliesModule|^UsersModule|^AuthModule|^OrgModule|^ReportsModule|^CustomerPrivacyModule)$',
              message: 'A module with controllers: the worker loads no controller.',
            },
          ],
        },
      ],
    },
  },
];

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
  ...layerBlocks,
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
