module.exports = {
  ...require('../../jest.preset'),
  displayName: 'ops',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
