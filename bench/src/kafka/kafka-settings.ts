import { DEFAULT_CONSUMER_TUNING, DEFAULT_PUBLISHER_TUNING } from '@agentos/runtime';
import { ConsumerConfig, Kafka, logLevel, Partitioners, ProducerConfig } from 'kafkajs';

/**
 * The kafkajs settings AgentOS's KafkaBus uses, for the bench's own clients: the raw
 * baseline must pay for the same durability (idempotent producer, acks=-1) and wait the
 * same on an idle fetch, or the comparison says nothing.
 */
export const BUS_CONSUMER_TUNING = DEFAULT_CONSUMER_TUNING;
export const BUS_PUBLISHER_TUNING = DEFAULT_PUBLISHER_TUNING;

export function benchKafka(brokers: readonly string[], clientId: string): Kafka {
  return new Kafka({
    brokers: [...brokers],
    clientId,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    // Failures reach the bench as rejected sends and consumer CRASH events; kafkajs's own lines
    // would only add retried, transient conditions of a fresh broker to the output.
    logLevel: logLevel.NOTHING,
  });
}

export function busLikeProducer(): ProducerConfig {
  return {
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  };
}

export function busLikeConsumer(groupId: string): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: BUS_CONSUMER_TUNING.sessionTimeoutMs,
    heartbeatInterval: BUS_CONSUMER_TUNING.heartbeatIntervalMs,
    rebalanceTimeout: BUS_CONSUMER_TUNING.rebalanceTimeoutMs,
    maxWaitTimeInMs: BUS_CONSUMER_TUNING.maxWaitTimeMs,
    minBytes: 1,
    allowAutoTopicCreation: false,
    retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 10 },
  };
}
