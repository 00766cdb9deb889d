// Browser tests (test/ui/*.e2e.ts): the real service as a child process, driven in headless Debian Chromium
// through playwright-core. Not part of `npm test`; run with `scripts/ui-test.sh` (or `npx jest -c jest.ui.config.js`).
// Same transforms and per-file databases as jest.config.js (its global setup builds the migrated template).
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/ui'],
  testMatch: ['**/*.e2e.ts'],
  maxWorkers: 2,
  testTimeout: 60000,
};
