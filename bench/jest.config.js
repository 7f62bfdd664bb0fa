module.exports = {
  ...require('../jest.preset'),
  displayName: 'bench',
  rootDir: __dirname,
  // Only the learning benchmark's targets are asserted: they are outcomes, not timings.
  testMatch: ['<rootDir>/src/memory-learning/**/*.spec.ts'],
};
