// Tests against a real Kafka broker: KAFKA_BROKERS, else Testcontainers, else the local broker script.
module.exports = {
  ...require('../jest.preset'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  globalSetup: '<rootDir>/global-setup.ts',
  globalTeardown: '<rootDir>/../libs/test-kit/src/kafka/kafka-global-teardown.ts',
  testTimeout: 120000,
};
