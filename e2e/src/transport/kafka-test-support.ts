import { TopicRegistry } from '@agentos/contracts';
import { KafkaBus, KafkaBusOptions } from '@agentos/runtime';
import { uniqueName } from '@agentos/test-kit';
import { Kafka, logLevel } from 'kafkajs';

/** The broker the e2e project's globalSetup provided. */
export function testBrokers(): string[] {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: run the e2e project (its globalSetup provides a broker)');
  return brokers;
}

/** A registry of its own per test: topics that no other test reads or writes. */
export function freshRegistry(): TopicRegistry {
  return new TopicRegistry({ namespace: uniqueName('t'), workerTypes: ['io', 'logic'], goalPartitions: 3, taskPartitions: 3 });
}

/**
 * A bus tuned for tests: quicker heartbeats so a second member's join (which waits for the
 * first to notice the rebalance on its next heartbeat) takes a fraction of the default.
 */
export function testBus(registry: TopicRegistry, extra: Partial<KafkaBusOptions> = {}): KafkaBus {
  return new KafkaBus({
    brokers: testBrokers(),
    clientId: uniqueName('e2e'),
    registry,
    consumer: { heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 20_000 },
    ...extra,
  });
}

/** A plain kafkajs client, for looking at the topics from outside the bus. */
export function plainKafka(): Kafka {
  return new Kafka({ brokers: testBrokers(), clientId: uniqueName('plain'), logLevel: logLevel.WARN });
}
