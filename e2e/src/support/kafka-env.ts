import { TopicRegistry } from '@agentos/contracts';
import { uniqueName } from '@agentos/test-kit';
import { Kafka, logLevel } from 'kafkajs';

export function brokers(): string[] {
  const list = process.env.KAFKA_BROKERS;
  if (!list) throw new Error('KAFKA_BROKERS is not set: the e2e globalSetup provisions a broker');
  return list.split(',');
}

/** A fresh topic namespace per test: isolated topics, consumer groups and goals. */
export function freshNamespace(): { namespace: string; topics: TopicRegistry } {
  const namespace = uniqueName('e2e');
  return { namespace, topics: new TopicRegistry({ namespace, workerTypes: ['io', 'logic'], goalPartitions: 3, taskPartitions: 3 }) };
}

/** Environment every service process of a test shares. */
export function serviceEnv(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AGENTOS_TRANSPORT: 'kafka',
    KAFKA_BROKERS: brokers().join(','),
    AGENTOS_TOPIC_NAMESPACE: namespace,
    AGENTOS_GOAL_PARTITIONS: '3',
    AGENTOS_TASK_PARTITIONS: '3',
    // These suites test transport and durability with explicit plans; memory has suites of its own.
    SUPERVISOR_MEMORY: 'off',
    ...extra,
  };
}

/** A plain kafkajs client, for what a foreign producer or an operator would do. */
export function plainKafka(): Kafka {
  return new Kafka({ brokers: brokers(), clientId: uniqueName('e2e-client'), logLevel: logLevel.NOTHING });
}
