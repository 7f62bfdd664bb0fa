module.exports = {
  ...require('../../jest.preset'),
  displayName: 'worker-io',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
