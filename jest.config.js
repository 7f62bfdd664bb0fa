// Every project's tests in one run, so `npm test` ends with one summary.
module.exports = {
  projects: [
    '<rootDir>/libs/contracts',
    '<rootDir>/libs/runtime',
    '<rootDir>/libs/memory',
    '<rootDir>/libs/worker-kit',
    '<rootDir>/libs/test-kit',
    '<rootDir>/services/supervisor',
    '<rootDir>/services/worker-io',
    '<rootDir>/services/worker-logic',
    '<rootDir>/apps/embedded',
    '<rootDir>/apps/ops',
    '<rootDir>/bench',
    '<rootDir>/deploy',
    '<rootDir>/e2e',
  ],
};
