import { TopicRegistry } from '@agentos/contracts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { decideReplay, ReplayFilters } from './replay-decision';

export interface ReplayOptions extends ReplayFilters {
  readonly brokers: readonly string[];
  readonly registry: TopicRegistry;
  /** Decide and count, but publish nothing and commit nothing. */
  readonly dryRun?: boolean;
  /** Most records to replay in this run. */
  readonly limit?: number;
  readonly timeoutMs?: number;
}

export interface ReplayReport {
  readonly read: number;
  readonly replayed: Readonly<Record<string, number>>;
  readonly skipped: Readonly<Record<string, number>>;
}

const GROUP = 'agentos.ops.dlq-replay';

/**
 * Reads the DLQ up to where it ended when the run started, and sends each record that qualifies
 * back to its source topic (original key, value and headers). Progress is the consumer group's
 * committed offset, so a record is replayed by one run only; consumers absorb duplicates anyway.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayReport> {
  const kafka = new Kafka({ brokers: [...options.brokers], clientId: 'agentos-ops', logLevel: logLevel.WARN });
  const dlq = options.registry.dlq();
  const admin = kafka.admin();
  await admin.connect();
  const groupId = options.dryRun ? `${GROUP}.dry-run.${Date.now()}` : GROUP;
  const ends = new Map((await admin.fetchTopicOffsets(dlq)).map((partition) => [partition.partition, BigInt(partition.high)]));
  // Partitions this group has already read to where they end now: nothing will arrive to say so.
  const [committed] = await admin.fetchOffsets({ groupId, topics: [dlq] });
  const alreadyRead = (committed?.partitions ?? []).filter(({ partition, offset }) => BigInt(offset) >= (ends.get(partition) ?? 0n)).map(({ partition }) => partition);
  await admin.disconnect();

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const replayed: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  let read = 0;
  const reached = new Set<number>([...[...ends].filter(([, end]) => end === 0n).map(([partition]) => partition), ...alreadyRead]);
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  if (reached.size === ends.size) finish();

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: dlq, fromBeginning: true });
  await consumer.run({
    autoCommit: !options.dryRun,
    eachMessage: async ({ partition, message }) => {
      const end = ends.get(partition) ?? 0n;
      if (BigInt(message.offset) >= end || (options.limit !== undefined && sum(replayed) >= options.limit)) {
        reached.add(partition);
        if (reached.size === ends.size) finish();
        return;
      }
      read++;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value.toString();
      const decision = decideReplay({ key: message.key, value: message.value, headers }, options, (topic) => options.registry.resolve(topic) !== undefined);
      if (!decision.replay) {
        skipped[decision.reason] = (skipped[decision.reason] ?? 0) + 1;
      } else {
        if (!options.dryRun) {
          await producer.send({ topic: decision.topic, acks: -1, messages: [{ key: decision.key, value: decision.value, headers: decision.headers }] });
        }
        replayed[decision.topic] = (replayed[decision.topic] ?? 0) + 1;
      }
      if (BigInt(message.offset) + 1n >= end) {
        reached.add(partition);
        if (reached.size === ends.size) finish();
      }
    },
  });

  const timeoutMs = options.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the DLQ was not read to its end within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    await producer.disconnect();
  }
  return { read, replayed, skipped };
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}
