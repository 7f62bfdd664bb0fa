module.exports = {
  ...require('../../jest.preset'),
  displayName: 'test-kit',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
