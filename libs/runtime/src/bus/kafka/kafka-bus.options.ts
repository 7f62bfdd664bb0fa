import type { ConnectionOptions } from 'node:tls';
import { TopicRegistry } from '@agentos/contracts';
import type { SASLOptions } from 'kafkajs';
import { ConfigError } from '../../errors/agentos-error';

/** How publishes are gathered into produce requests. */
export interface PublisherTuning {
  /** Extra wait before sending when the producer is idle; 0 sends on the next turn of the event loop. */
  readonly lingerMs: number;
  /** Most (estimated) record bytes in one produce request; keep below the broker's message.max.bytes. */
  readonly maxBatchBytes: number;
  /** Most records in one produce request. */
  readonly maxBatchMessages: number;
}

/** Consumer settings shared by every subscription of a bus. */
export interface ConsumerTuning {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  /** Longest a fetch waits on the broker for new records: the latency floor of an idle consumer. */
  readonly maxWaitTimeMs: number;
  /** Batches (partitions) handed out at once; should cover every partition one member can own. */
  readonly partitionsConsumedConcurrently: number;
  /** Most often the finished prefix of each partition is committed. */
  readonly commitIntervalMs: number;
  /** How long `subscribe()` waits to join the group and receive an assignment. */
  readonly joinTimeoutMs: number;
}

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface KafkaBusOptions {
  /** `host:port` of at least one broker. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly registry: TopicRegistry;
  readonly ssl?: ConnectionOptions | boolean;
  readonly sasl?: SASLOptions;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Create the registry's topics at `connect()` (default true). */
  readonly createTopics?: boolean;
  /** Replication factor of created topics (default 1: a single-broker development cluster). */
  readonly replicationFactor?: number;
  /** kafkajs log level forwarded to the NestJS logger (default warn). */
  readonly logLevel?: KafkaLogLevel;
  /** Longest `consumerLag()` waits for the broker's offsets before it rejects (default 5 s). */
  readonly lagTimeoutMs?: number;
  readonly publisher?: Partial<PublisherTuning>;
  readonly consumer?: Partial<ConsumerTuning>;
}

export interface ResolvedKafkaBusOptions
  extends Required<Omit<KafkaBusOptions, 'ssl' | 'sasl' | 'publisher' | 'consumer'>>,
    Pick<KafkaBusOptions, 'ssl' | 'sasl'> {
  readonly publisher: PublisherTuning;
  readonly consumer: ConsumerTuning;
}

export const DEFAULT_PUBLISHER_TUNING: PublisherTuning = {
  lingerMs: 0,
  // Below the broker default message.max.bytes (1 MiB) with room for record framing.
  maxBatchBytes: 900_000,
  maxBatchMessages: 10_000,
};

export const DEFAULT_CONSUMER_TUNING: ConsumerTuning = {
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeMs: 100,
  partitionsConsumedConcurrently: 64,
  commitIntervalMs: 200,
  joinTimeoutMs: 60_000,
};

/** Fills in defaults and rejects options the bus cannot work with. */
export function resolveKafkaBusOptions(options: KafkaBusOptions): ResolvedKafkaBusOptions {
  if (options.brokers.length === 0) throw new ConfigError('KafkaBus needs at least one broker');
  if (!options.clientId) throw new ConfigError('KafkaBus needs a clientId');
  const resolved: ResolvedKafkaBusOptions = {
    brokers: options.brokers,
    clientId: options.clientId,
    registry: options.registry,
    ssl: options.ssl,
    sasl: options.sasl,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 3_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    createTopics: options.createTopics ?? true,
    replicationFactor: options.replicationFactor ?? 1,
    logLevel: options.logLevel ?? 'warn',
    lagTimeoutMs: options.lagTimeoutMs ?? 5_000,
    publisher: { ...DEFAULT_PUBLISHER_TUNING, ...options.publisher },
    consumer: { ...DEFAULT_CONSUMER_TUNING, ...options.consumer },
  };
  for (const [name, value] of Object.entries({ ...resolved.publisher, ...resolved.consumer })) {
    if (!Number.isFinite(value) || value < 0) throw new ConfigError(`KafkaBus option ${name} must be a non-negative number`, { value });
  }
  if (!Number.isFinite(resolved.lagTimeoutMs) || resolved.lagTimeoutMs <= 0) {
    throw new ConfigError('KafkaBus lagTimeoutMs must be a positive number', { value: resolved.lagTimeoutMs });
  }
  if (!Number.isInteger(resolved.replicationFactor) || resolved.replicationFactor < 1) {
    throw new ConfigError('KafkaBus replicationFactor must be a positive integer', { value: resolved.replicationFactor });
  }
  return resolved;
}
