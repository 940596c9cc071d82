// `npm run bench` only (scripts/bench.mjs): the integration project's set-up, one test file that
// runs the registered benchmarks. `npm test` never loads this config; it runs the same
// benchmarks at smoke scale from tests/integration/bench-smoke.spec.ts.
const root = require('../../jest.config.js');

const integration = root.projects.find((project) => project.displayName === 'integration');
const project = { ...integration };
delete project.globalSetup; // no shared test database: each benchmark makes its own

module.exports = {
  ...project,
  displayName: 'bench',
  testMatch: ['<rootDir>/tests/bench/run.bench.ts'],
  // A full run takes minutes; each benchmark bounds its own loops.
  testTimeout: 30 * 60_000,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
