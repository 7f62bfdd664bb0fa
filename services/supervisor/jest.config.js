module.exports = {
  ...require('../../jest.preset'),
  displayName: 'supervisor',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
