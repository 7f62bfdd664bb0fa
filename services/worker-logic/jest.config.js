module.exports = {
  ...require('../../jest.preset'),
  displayName: 'worker-logic',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
