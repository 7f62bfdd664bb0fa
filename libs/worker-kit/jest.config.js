module.exports = {
  ...require('../../jest.preset'),
  displayName: 'worker-kit',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
