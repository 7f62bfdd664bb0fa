import { encode } from '@agentos/contracts';
import { Admin, Kafka, Partitioners, Producer } from 'kafkajs';
import { TransportError } from '../../errors/agentos-error';
import { tracePublish } from '../../observability/tracing/publish-tracing';
import { BusHealth, ConsumerLag } from '../bus-health';
import { assertValidPartitions } from '../explicit-partition';
import {
  DEFAULT_MAX_DELIVERIES,
  DeadLetter,
  DeliveryHandler,
  MessageBus,
  OutboundMessage,
  Subscription,
  SubscriptionOptions,
} from '../message-bus';
import { BatchingPublisher, ProducerRecord } from './batching-publisher';
import { coPartitionedAssigner } from './co-partitioned-assigner';
import { fetchConsumerLag } from './consumer-lag';
import { ConsumerRunner } from './consumer-runner';
import { DeadLetterPublisher } from './dead-letter-publisher';
import { KafkaBusOptions, resolveKafkaBusOptions, ResolvedKafkaBusOptions } from './kafka-bus.options';
import { KAFKAJS_LOG_LEVELS, nestLogCreator } from './kafka-logger';
import { PartitionCounts } from './partition-counts';
import { TopicProvisioner } from './topic-provisioner';

/**
 * The MessageBus on Apache Kafka (kafkajs). Publishes are batched into few produce requests
 * by an idempotent producer; each subscription is its own consumer in its group, handing
 * records out concurrently up to `maxInFlight` and committing only below the lowest
 * unfinished record. Undecodable and poison records go to the registry's DLQ topic.
 * Every group is assigned co-partitioned (a member holds the same partition numbers on each
 * topic it subscribes to), and a subscription's ownership listener hears of each assignment.
 */
export class KafkaBus implements MessageBus {
  readonly transport = 'kafka' as const;
  private readonly options: ResolvedKafkaBusOptions;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly publisher: BatchingPublisher;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly partitionCounts: PartitionCounts;
  private readonly runners = new Set<ConsumerRunner>();
  private connecting: Promise<void> | undefined;
  private connected = false;
  private closing: Promise<void> | undefined;

  constructor(options: KafkaBusOptions) {
    this.options = resolveKafkaBusOptions(options);
    this.kafka = new Kafka({
      brokers: [...this.options.brokers],
      clientId: this.options.clientId,
      ssl: this.options.ssl,
      sasl: this.options.sasl,
      connectionTimeout: this.options.connectionTimeoutMs,
      requestTimeout: this.options.requestTimeoutMs,
      logLevel: KAFKAJS_LOG_LEVELS[this.options.logLevel],
      logCreator: nestLogCreator(),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      // kafkajs allows only one in-flight request per broker with idempotence.
      maxInFlightRequests: 1,
      // Java-compatible murmur2: a key lands on the same partition whoever publishes it.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    this.admin = this.kafka.admin();
    this.partitionCounts = new PartitionCounts(this.admin);
    this.publisher = new BatchingPublisher(this.producer, this.options.publisher);
    this.deadLetters = new DeadLetterPublisher(this.publisher, this.options.registry.dlq());
  }

  connect(): Promise<void> {
    if (this.closing) return Promise.reject(this.closedError());
    this.connecting ??= this.openConnections().catch((error: unknown) => {
      this.connecting = undefined;
      throw error instanceof TransportError
        ? error
        : new TransportError(`could not connect to Kafka: ${(error as Error).message}`, true, { brokers: this.options.brokers }, error);
    });
    return this.connecting;
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.closing) throw this.closedError();
    assertValidPartitions(messages);
    await this.connect();
    if (messages.some((outbound) => outbound.partition !== undefined)) await this.partitionCounts.assertExist(messages);
    const traced = tracePublish(this.transport, messages);
    if (!traced) return this.publisher.publish(this.toRecords(messages));
    try {
      await this.publisher.publish(this.toRecords(traced.messages));
    } catch (error) {
      traced.end(error);
      throw error;
    }
    traced.end();
  }

  async partitionCount(topic: string): Promise<number> {
    await this.connect();
    return this.partitionCounts.count(topic);
  }

  async subscribe(options: SubscriptionOptions, handler: DeliveryHandler): Promise<Subscription> {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    }
    if (options.topics.length === 0) throw new RangeError('a subscription needs at least one topic');
    if (this.closing) throw this.closedError();
    await this.connect();

    const tuning = this.options.consumer;
    const createConsumer = () =>
      this.kafka.consumer({
        groupId: options.groupId,
        partitionAssigners: [coPartitionedAssigner],
        sessionTimeout: tuning.sessionTimeoutMs,
        heartbeatInterval: tuning.heartbeatIntervalMs,
        rebalanceTimeout: tuning.rebalanceTimeoutMs,
        maxWaitTimeInMs: tuning.maxWaitTimeMs,
        minBytes: 1,
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: 10 },
      });
    const runner = new ConsumerRunner(
      createConsumer,
      {
        topics: options.topics,
        groupId: options.groupId,
        maxInFlight: options.maxInFlight,
        maxDeliveries: options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
        startFrom: options.startFrom ?? 'earliest',
        ownership: options.ownership,
        tuning,
      },
      handler,
      this.deadLetters,
    );
    this.runners.add(runner);
    try {
      await runner.start();
    } catch (error) {
      this.runners.delete(runner);
      throw error;
    }
    return { close: () => this.closeRunner(runner) };
  }

  onDeadLetter(listener: (deadLetter: DeadLetter) => void): () => void {
    return this.deadLetters.onDeadLetter(listener);
  }

  /** Ready when connected and every subscription's consumer is in its group; a crashed one is named with why. */
  health(): BusHealth {
    const subscriptions = [...this.runners].map((runner) => ({ groupId: runner.groupId, topics: runner.topics, ...runner.status }));
    if (this.closing) return { ready: false, reason: 'the Kafka bus is closed', subscriptions };
    if (!this.connected) return { ready: false, reason: 'not connected to Kafka', subscriptions };
    const stalled = subscriptions.find((subscription) => !subscription.running);
    if (stalled) {
      return { ready: false, reason: `group ${stalled.groupId} on ${stalled.topics.join(', ')}: ${stalled.reason ?? 'not running'}`, subscriptions };
    }
    return { ready: true, subscriptions };
  }

  /** Per subscribed partition: the broker's end offset minus the group's committed offset (lagTimeoutMs at most). */
  async consumerLag(): Promise<ConsumerLag[]> {
    if (this.closing) throw this.closedError();
    await this.connect();
    const groups = [...this.runners].map((runner) => ({ groupId: runner.groupId, topics: runner.topics, startFrom: runner.startFrom }));
    return fetchConsumerLag(this.admin, groups, this.options.lagTimeoutMs);
  }

  /** Drains every subscription, then sends what is still queued, then disconnects. */
  close(): Promise<void> {
    this.closing ??= this.closeEverything();
    return this.closing;
  }

  /** Encodes now, so the bytes sent are the message as it was when published. */
  private toRecords(messages: readonly OutboundMessage[]): ProducerRecord[] {
    const records = new Array<ProducerRecord>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const { topic, key, message, headers, partition } = messages[i]!;
      let value: Buffer;
      try {
        value = encode(message);
      } catch (error) {
        throw new TransportError(`cannot encode a ${message.kind} for ${topic}: ${(error as Error).message}`, false, { topic, key }, error);
      }
      records[i] = { topic, key, value, headers, partition };
    }
    return records;
  }

  private async openConnections(): Promise<void> {
    await this.admin.connect();
    if (this.options.createTopics) {
      const provisioner = new TopicProvisioner(this.admin, this.options.replicationFactor, this.options.requestTimeoutMs);
      await provisioner.provision(this.options.registry.specs());
    }
    await this.producer.connect();
    this.connected = true;
  }

  private async closeRunner(runner: ConsumerRunner): Promise<void> {
    try {
      await runner.close();
    } finally {
      this.runners.delete(runner);
    }
  }

  private async closeEverything(): Promise<void> {
    const runners = await Promise.allSettled([...this.runners].map((runner) => this.closeRunner(runner)));
    // Dead letters written by the runners while draining go through the publisher too.
    await this.publisher.flush();
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    const failed = runners.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw new TransportError(`closing a subscription failed: ${(failed.reason as Error).message}`, true, {}, failed.reason);
  }

  private closedError(): TransportError {
    return new TransportError('the Kafka bus is closed', false);
  }
}
