module.exports = {
  ...require('../../jest.preset'),
  displayName: 'embedded',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
