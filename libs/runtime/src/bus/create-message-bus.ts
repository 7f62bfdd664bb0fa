import { TopicRegistry } from '@agentos/contracts';
import { TransportConfig } from '../config/transport.config';
import { InProcessBus } from './in-process/in-process-bus';
import { KafkaBus } from './kafka/kafka-bus';
import { MessageBus } from './message-bus';

/** The topic registry the transport configuration describes. */
export function topicRegistryFrom(config: TransportConfig): TopicRegistry {
  return new TopicRegistry({
    ...(config.AGENTOS_TOPIC_NAMESPACE ? { namespace: config.AGENTOS_TOPIC_NAMESPACE } : {}),
    workerTypes: config.AGENTOS_WORKER_TYPES,
    goalPartitions: config.AGENTOS_GOAL_PARTITIONS,
    taskPartitions: config.AGENTOS_TASK_PARTITIONS,
  });
}

/** Builds the bus a process uses, from validated configuration. */
export function createMessageBus(config: TransportConfig, registry: TopicRegistry): MessageBus {
  if (config.AGENTOS_TRANSPORT === 'in-process') return new InProcessBus();
  return new KafkaBus({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    registry,
    createTopics: config.KAFKA_CREATE_TOPICS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    consumer: { sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS },
  });
}
