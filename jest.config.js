// One test runner for the whole repository: unit specs beside the code, integration
// suites against the real PostgreSQL and Redis under tests/, and the web app's
// component tests in jsdom.
const transform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
};
const moduleNameMapper = {
  '^@toonbank/migrations$': '<rootDir>/migrations/index.ts',
  '^@toonbank/channels/testing$': '<rootDir>/libs/channels/src/testing.ts',
  '^@toonbank/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
};

module.exports = {
  // Integration suites use real servers, argon2 (slow on purpose) and two shared cores; a
  // project's own testTimeout is not honoured, so it is set here for all.
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/libs/*/src/**/*.spec.ts',
        '<rootDir>/apps/{api,worker}/src/**/*.spec.ts',
        '<rootDir>/libs/*/tests/**/*.spec.ts',
      ],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/integration/**/*.spec.ts', '<rootDir>/tests/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      setupFiles: ['<rootDir>/tests/support/test-env.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'static',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/static/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'web',
      rootDir: __dirname,
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/apps/web/src/**/*.test.tsx'],
      setupFilesAfterEnv: ['<rootDir>/apps/web/jest.setup.ts'],
      transform: {
        '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/apps/web/tsconfig.jest.json' }],
      },
      moduleNameMapper: {
        ...moduleNameMapper,
        '\\.(css)$': 'identity-obj-proxy',
      },
    },
  ],
};
