import { encode } from '@agentos/contracts';
import { uniqueName } from '@agentos/test-kit';
import { Consumer, Kafka } from 'kafkajs';
import { typicalResult, typicalTask } from '../messages/typical-messages';
import { nowMs, perSecond } from '../stats/clock';
import { cpuBetween, cpuSnapshot, CpuUsage } from '../stats/cpu-usage';
import { LatencySummary, summarize } from '../stats/percentiles';
import { medianBy, repeat } from '../stats/rounds';
import { Completion, withDeadline } from '../support/deadline';
import { BatchedSender } from './batched-sender';
import { EchoProcess } from './echo-process';
import { PeriodicCommitter } from './periodic-committer';
import { benchKafka, BUS_CONSUMER_TUNING, busLikeConsumer, busLikeProducer } from './kafka-settings';

export interface RawEchoSettings {
  readonly brokers: readonly string[];
  readonly messages: number;
  readonly warmupMessages: number;
  /** Requests in flight at once (window x goals of the AgentOS run). */
  readonly inFlight: number;
  readonly partitions: number;
  readonly rounds: number;
  readonly probeMessages: number;
  readonly probeInFlight: number;
  readonly timeoutMs: number;
  readonly childEnv?: Record<string, string>;
}

/** One measured round. */
export interface RawEchoRound {
  readonly messages: number;
  readonly inFlight: number;
  readonly durationMs: number;
  readonly perSecond: number;
  readonly rtt: LatencySummary;
  /** Where CPU went during the round. */
  readonly cpu: CpuUsage;
}

export interface RawEchoResult {
  readonly requestBytes: number;
  readonly replyBytes: number;
  /** The median round by throughput. */
  readonly median: RawEchoRound;
  readonly roundsPerSecond: readonly number[];
  readonly lightLoad: RawEchoRound;
}

/** One round: `count` requests, at most `inFlight` unanswered, each timed from produce to its reply being consumed. */
class EchoRound {
  readonly done = new Completion<void>();
  private readonly sentAt: Float64Array;
  private readonly rtts: Float64Array;
  private sent = 0;
  private received = 0;
  private readonly prefix: string;

  constructor(
    label: string,
    private readonly count: number,
    private readonly inFlight: number,
    private readonly sender: BatchedSender,
    private readonly request: Buffer,
  ) {
    this.prefix = `${label}:`;
    this.sentAt = new Float64Array(count);
    this.rtts = new Float64Array(count);
  }

  start(): void {
    while (this.sent < this.count && this.sent - this.received < this.inFlight) this.sendOne();
  }

  /** A reply consumed; replies of another round (a late warm-up one) are not this round's. */
  onReply(key: string, at: number): void {
    if (!key.startsWith(this.prefix)) return;
    const seq = Number(key.slice(this.prefix.length));
    if (!(this.sentAt[seq]! > 0) || this.rtts[seq]! > 0) return; // unknown or duplicate
    this.rtts[seq] = at - this.sentAt[seq]!;
    this.received++;
    if (this.received === this.count) this.done.resolve();
    else if (this.sent < this.count) this.sendOne();
  }

  get latencies(): Float64Array {
    return this.rtts;
  }

  get progress(): string {
    return `${this.received}/${this.count} replies, ${this.sent} sent`;
  }

  private sendOne(): void {
    const seq = this.sent++;
    this.sentAt[seq] = nowMs();
    this.sender.send({ key: `${this.prefix}${seq}`, value: this.request });
  }
}

/**
 * The baseline: the cheapest correct request/reply over the same broker, with no AgentOS
 * code. A driver produces requests of a Task's size; an echo worker (its own process)
 * answers each with a record of a Result's size; the driver consumes the replies.
 */
export async function runRawEcho(settings: RawEchoSettings): Promise<RawEchoResult> {
  const request = encode(typicalTask());
  const replyBytes = encode(typicalResult()).length;
  const name = uniqueName('bench-raw');
  const requestTopic = `${name}.requests`;
  const replyTopic = `${name}.replies`;
  const kafka: Kafka = benchKafka(settings.brokers, 'bench-raw-driver');
  const admin = kafka.admin();
  const producer = kafka.producer(busLikeProducer());
  let consumer: Consumer | undefined;
  let committer: PeriodicCommitter | undefined;
  let echo: EchoProcess | undefined;
  let round: EchoRound | undefined;
  let sendFailure: Error | undefined;
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [requestTopic, replyTopic].map((topic) => ({ topic, numPartitions: settings.partitions, replicationFactor: 1 })),
    });
    await producer.connect();
    const sender = new BatchedSender(producer, requestTopic, (error) => {
      sendFailure = error;
      round?.done.reject(new Error(`raw echo: producing requests failed: ${error.message}`));
    });

    consumer = kafka.consumer(busLikeConsumer(`${name}.driver`));
    const joined = new Completion<void>();
    consumer.on(consumer.events.GROUP_JOIN, () => joined.resolve());
    await consumer.connect();
    await consumer.subscribe({ topics: [replyTopic], fromBeginning: true });
    committer = new PeriodicCommitter(consumer, BUS_CONSUMER_TUNING.commitIntervalMs);
    const replies = committer;
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: BUS_CONSUMER_TUNING.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset }) => {
        const at = nowMs();
        for (const message of batch.messages) {
          if (message.key) round?.onReply(message.key.toString('latin1'), at);
          replies.finished(batch.topic, batch.partition, message.offset);
          resolveOffset(message.offset);
        }
      },
    });
    await withDeadline(joined.promise, 60_000, 'the raw driver to join its reply group');

    echo = new EchoProcess({
      brokers: settings.brokers,
      requestTopic,
      replyTopic,
      groupId: `${name}.echo`,
      replyBytes,
      ...(settings.childEnv ? { env: settings.childEnv } : {}),
    });
    await echo.ready(60_000);

    const pids = { 'echo worker': echo.pid };
    const play = async (label: string, count: number, inFlight: number): Promise<RawEchoRound> => {
      round = new EchoRound(label, count, inFlight, sender, request);
      const current = round;
      const watchdog = setInterval(() => {
        try {
          echo!.assertAlive();
        } catch (error) {
          current.done.reject(error);
        }
      }, 500);
      const cpuBefore = cpuSnapshot(pids);
      const started = nowMs();
      current.start();
      try {
        await withDeadline(current.done.promise, settings.timeoutMs, `raw echo round "${label}" (${count} messages; at the deadline: ${current.progress})`);
      } finally {
        clearInterval(watchdog);
      }
      const durationMs = nowMs() - started;
      if (sendFailure) throw sendFailure;
      return { messages: count, inFlight, durationMs, perSecond: perSecond(count, durationMs), rtt: summarize(current.latencies), cpu: cpuBetween(cpuBefore, cpuSnapshot(pids)) };
    };

    await play('warmup', settings.warmupMessages, settings.inFlight);
    const rounds = await repeat(settings.rounds, (i) => play(`measured${i + 1}`, settings.messages, settings.inFlight));
    const lightLoad = await play('probe', settings.probeMessages, settings.probeInFlight);
    return {
      requestBytes: request.length,
      replyBytes,
      median: medianBy(rounds, (result) => result.perSecond),
      roundsPerSecond: rounds.map((result) => result.perSecond),
      lightLoad,
    };
  } finally {
    round = undefined;
    await echo?.stop().catch(() => undefined);
    await committer?.stop().catch(() => undefined);
    await consumer?.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [requestTopic, replyTopic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
