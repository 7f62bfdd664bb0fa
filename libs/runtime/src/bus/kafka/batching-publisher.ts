import { Message, Producer, TopicMessages } from 'kafkajs';
import { FifoQueue } from '../../concurrency/fifo-queue';
import { TransportError } from '../../errors/agentos-error';
import { PublisherTuning } from './kafka-bus.options';

/** A kafkajs message with its destination; kafkajs ignores the extra field, so no copy is made. */
export interface ProducerRecord extends Message {
  readonly topic: string;
}

/** Key, timestamp, attributes and lengths of a record in Kafka's record format, roughly. */
const RECORD_OVERHEAD_BYTES = 64;

/** One caller's `publish()`: settled once all its records are acknowledged, or one send failed. */
class PublishRequest {
  /** Index of the first record not yet taken into a send. */
  taken = 0;
  settled = false;

  constructor(
    readonly records: readonly ProducerRecord[],
    readonly resolve: () => void,
    readonly reject: (error: unknown) => void,
  ) {}

  get fullyTaken(): boolean {
    return this.taken === this.records.length;
  }
}

interface PendingSend {
  readonly topicMessages: TopicMessages[];
  readonly requests: PublishRequest[];
  readonly recordCount: number;
}

/**
 * Turns many small `publish()` calls into few produce requests. Calls made while a send is
 * in flight accumulate and go out together as one `sendBatch` when it completes, so the
 * batch size adapts to the load: one record when idle, thousands under pressure. At most
 * one send is in flight (the idempotent producer allows no more per broker anyway).
 */
export class BatchingPublisher {
  private readonly queue = new FifoQueue<PublishRequest>();
  private sending = false;
  private flushScheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly producer: Pick<Producer, 'sendBatch'>,
    private readonly tuning: PublisherTuning,
  ) {}

  /** Resolves once the broker acknowledged every record (acks=all); rejects with a TransportError otherwise. */
  publish(records: readonly ProducerRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push(new PublishRequest(records, resolve, reject));
      this.scheduleFlush();
    });
  }

  /** Resolves once everything published so far has been sent and settled. */
  flush(): Promise<void> {
    if (!this.sending && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private scheduleFlush(): void {
    if (this.sending || this.flushScheduled) return;
    this.flushScheduled = true;
    // Deferring to the next macrotask collects every publish made in the current one
    // (a loop of calls, a Promise.all) into the first request too.
    const send = () => {
      this.flushScheduled = false;
      this.sendNext();
    };
    if (this.tuning.lingerMs > 0) setTimeout(send, this.tuning.lingerMs);
    else setImmediate(send);
  }

  private sendNext(): void {
    const batch = this.takeBatch();
    if (!batch) {
      this.notifyIdle();
      return;
    }
    this.sending = true;
    this.producer.sendBatch({ acks: -1, topicMessages: batch.topicMessages }).then(
      () => this.settle(batch, undefined),
      (error: unknown) => this.settle(batch, error),
    );
  }

  private settle(batch: PendingSend, error: unknown): void {
    this.sending = false;
    for (const request of batch.requests) {
      if (request.settled) continue;
      if (error !== undefined) {
        request.settled = true;
        request.reject(this.sendFailure(batch, error));
      } else if (request.fullyTaken) {
        request.settled = true;
        request.resolve();
      }
    }
    this.sendNext();
  }

  /** Takes queued records up to the batch limits, grouped by topic; a request may straddle two batches. */
  private takeBatch(): PendingSend | undefined {
    const byTopic = new Map<string, Message[]>();
    const requests: PublishRequest[] = [];
    let bytes = 0;
    let count = 0;
    while (this.queue.length > 0 && count < this.tuning.maxBatchMessages) {
      const request = this.queue.shift()!;
      if (request.settled) continue; // an earlier part of it failed; the caller already knows
      const records = request.records;
      let index = request.taken;
      while (index < records.length && count < this.tuning.maxBatchMessages) {
        const record = records[index]!;
        const size = estimateSize(record);
        // Always take one record, so an oversized one reaches the broker and fails loudly.
        if (count > 0 && bytes + size > this.tuning.maxBatchBytes) break;
        let messages = byTopic.get(record.topic);
        if (!messages) {
          messages = [];
          byTopic.set(record.topic, messages);
        }
        messages.push(record);
        bytes += size;
        count++;
        index++;
      }
      if (index > request.taken) requests.push(request);
      request.taken = index;
      if (!request.fullyTaken) {
        this.queue.unshift(request);
        break;
      }
    }
    if (count === 0) return undefined;
    const topicMessages: TopicMessages[] = [];
    for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
    return { topicMessages, requests, recordCount: count };
  }

  private sendFailure(batch: PendingSend, error: unknown): TransportError {
    const reason = error instanceof Error ? error.message : String(error);
    return new TransportError(
      `publishing ${batch.recordCount} records failed: ${reason}`,
      true,
      { topics: batch.topicMessages.map((entry) => entry.topic) },
      error,
    );
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

function estimateSize(record: Message): number {
  let size = RECORD_OVERHEAD_BYTES + byteLength(record.value) + byteLength(record.key);
  const headers = record.headers;
  if (headers) {
    for (const name in headers) {
      const value = headers[name];
      size += name.length + (Array.isArray(value) ? value.reduce((sum, item) => sum + byteLength(item), 0) : byteLength(value));
    }
  }
  return size;
}

/** String lengths count UTF-16 units: close enough for a limit that keeps a safety margin. */
function byteLength(value: Buffer | string | null | undefined): number {
  return value == null ? 0 : value.length;
}
