import { uniqueName, waitFor } from '@agentos/test-kit';
import { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';

export interface LoggedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | undefined;
  readonly value: Buffer | null;
  /** The Kafka producer id of the record's batch (one per idempotent producer, so one per process); `?` when unknown. */
  readonly producerId: string;
}

/**
 * Reads topics from the beginning into memory, each record once by (topic, partition, offset)
 * even when the reader's own group re-reads after a broker restart (which TopicReader, keeping
 * no offsets, would count twice). `onRecord` sees each record as it arrives, so callers can
 * index it once instead of decoding the whole log on every poll.
 */
export class RecordLog {
  readonly records: LoggedRecord[] = [];
  private readonly seen = new Set<string>();
  /** Per topic and partition, the next offset not yet read. */
  private readonly next = new Map<string, Map<number, number>>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly string[],
    private readonly onRecord: (record: LoggedRecord) => void = () => undefined,
  ) {}

  async start(): Promise<this> {
    // Retries long enough to ride out a broker restart (kafkajs then restarts the consumer).
    this.consumer = this.kafka.consumer({
      groupId: uniqueName('record-log'),
      maxWaitTimeInMs: 100,
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 100 },
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const offset = Number(message.offset);
        const id = `${topic}/${partition}/${offset}`;
        if (this.seen.has(id)) return;
        this.seen.add(id);
        const partitions = this.next.get(topic) ?? new Map<number, number>();
        this.next.set(topic, partitions);
        partitions.set(partition, Math.max(partitions.get(partition) ?? 0, offset + 1));
        const producerId = (message as KafkaMessage & { batchContext?: { producerId?: string } }).batchContext?.producerId ?? '?';
        const record: LoggedRecord = { topic, partition, offset, key: message.key?.toString(), value: message.value, producerId };
        this.records.push(record);
        this.onRecord(record);
      },
    });
    return this;
  }

  /** Waits until every record the topics hold now has been read. */
  async catchUp(admin: Admin, timeoutMs = 60_000): Promise<void> {
    const ends = await Promise.all(this.topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
    await waitFor(
      () =>
        ends.every(({ topic, partitions }) =>
          partitions.every(({ partition, high }) => Number(high) === 0 || (this.next.get(topic)?.get(partition) ?? 0) >= Number(high)),
        ),
      { timeoutMs, intervalMs: 50, description: `the reader of ${this.topics.join(', ')} to catch up` },
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
