module.exports = {
  ...require('../../jest.preset'),
  displayName: 'memory',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
