import { decode, GoalEventMessage } from '@agentos/contracts';
import { Consumer, Kafka } from 'kafkajs';
import { Completion, withDeadline } from '../support/deadline';
import { BUS_CONSUMER_TUNING, busLikeConsumer } from './kafka-settings';

/**
 * Reads the events topic from the beginning with a plain kafkajs consumer, as an observer
 * outside AgentOS would: every record is decoded and validated (`decode`), and handed on
 * with the time its batch arrived. Records that do not decode fail the run.
 */
export class EventFollower {
  private consumer: Consumer | undefined;
  private failure: Error | undefined;
  decoded = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly groupId: string,
    private readonly onEvent: (event: GoalEventMessage, at: number) => void,
    private readonly clock: () => number,
  ) {}

  /** Resolves once the consumer holds the topic's partitions. */
  async start(): Promise<void> {
    const consumer = this.kafka.consumer(busLikeConsumer(this.groupId));
    this.consumer = consumer;
    const joined = new Completion<void>();
    consumer.on(consumer.events.GROUP_JOIN, () => joined.resolve());
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.failure = payload.error;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: BUS_CONSUMER_TUNING.commitIntervalMs,
      partitionsConsumedConcurrently: BUS_CONSUMER_TUNING.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset }) => {
        const at = this.clock();
        for (const message of batch.messages) {
          const result = decode(this.topic, message.value);
          if (!result.ok) {
            this.failure ??= new Error(`an event did not decode (${result.error.code}): ${result.error.reason}`);
          } else if (result.message.kind === 'event') {
            this.decoded++;
            this.onEvent(result.message, at);
          }
          resolveOffset(message.offset);
        }
      },
    });
    await withDeadline(joined.promise, 60_000, `the event follower to join group ${this.groupId}`);
  }

  /** Throws if the consumer crashed or an event did not decode. */
  assertHealthy(): void {
    if (this.failure) throw this.failure;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
