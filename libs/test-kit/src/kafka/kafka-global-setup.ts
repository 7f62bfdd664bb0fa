/**
 * Jest globalSetup: one real Kafka broker per test run, shared by every worker.
 *
 *   // jest.config.js
 *   globalSetup: '<rootDir>/../../libs/test-kit/src/kafka/kafka-global-setup.ts',
 *   globalTeardown: '<rootDir>/../../libs/test-kit/src/kafka/kafka-global-teardown.ts',
 *
 * Tests then read process.env.KAFKA_BROKERS (workers are forked after globalSetup and inherit
 * the parent's environment). See provision-broker.ts for where the broker comes from.
 */
import { getKafkaGlobalState, setKafkaGlobalState } from './kafka-global-state';
import { provisionKafkaBroker, type ProvisionKafkaBrokerOptions } from './provision-broker';

export async function kafkaGlobalSetup(options: ProvisionKafkaBrokerOptions = {}): Promise<void> {
  const existing = getKafkaGlobalState();
  if (existing) {
    existing.refs += 1;
    process.env.KAFKA_BROKERS = existing.broker.brokers.join(',');
    return;
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`[kafka] ${line}\n`));
  const previousKafkaBrokers = process.env.KAFKA_BROKERS;
  const broker = await provisionKafkaBroker({ ...options, log });
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
  setKafkaGlobalState({ broker, refs: 1, previousKafkaBrokers });
  log(`KAFKA_BROKERS=${process.env.KAFKA_BROKERS} (${broker.source})`);
}

// Jest calls the default export with (globalConfig, projectConfig); those are not options.
export default function jestKafkaGlobalSetup(): Promise<void> {
  return kafkaGlobalSetup();
}
