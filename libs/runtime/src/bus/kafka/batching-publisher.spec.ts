import { ProducerBatch } from 'kafkajs';
import { TransportError } from '../../errors/agentos-error';
import { BatchingPublisher, ProducerRecord } from './batching-publisher';
import { DEFAULT_PUBLISHER_TUNING, PublisherTuning } from './kafka-bus.options';

/** A producer whose sends complete when the test says so. */
class ControlledProducer {
  readonly batches: ProducerBatch[] = [];
  private readonly completions: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  sendBatch = (batch: ProducerBatch): Promise<never[]> => {
    this.batches.push(batch);
    return new Promise((resolve, reject) => this.completions.push({ resolve: () => resolve([]), reject }));
  };

  complete(index: number): void {
    this.completions[index]!.resolve();
  }

  fail(index: number, error: Error): void {
    this.completions[index]!.reject(error);
  }

  recordCount(index: number): number {
    return this.batches[index]!.topicMessages!.reduce((sum, entry) => sum + entry.messages.length, 0);
  }
}

const record = (topic: string, n: number, valueBytes = 10): ProducerRecord => ({
  topic,
  key: `k${n}`,
  value: Buffer.alloc(valueBytes, n % 256),
});

const nextMacrotask = () => new Promise((resolve) => setImmediate(resolve));

function publisherWith(tuning: Partial<PublisherTuning> = {}) {
  const producer = new ControlledProducer();
  return { producer, publisher: new BatchingPublisher(producer, { ...DEFAULT_PUBLISHER_TUNING, ...tuning }) };
}

describe('BatchingPublisher', () => {
  it('sends every call made in one turn of the event loop as one request, grouped by topic', async () => {
    const { producer, publisher } = publisherWith();
    const published = Promise.all(Array.from({ length: 100 }, (_, i) => publisher.publish([record(i % 2 ? 'a' : 'b', i)])));
    await nextMacrotask();

    expect(producer.batches).toHaveLength(1);
    expect(producer.batches[0]!.acks).toBe(-1);
    expect(producer.batches[0]!.topicMessages!.map((entry) => [entry.topic, entry.messages.length])).toEqual([
      ['b', 50],
      ['a', 50],
    ]);
    producer.complete(0);
    await published;
  });

  it('accumulates while a send is in flight and sends all of it as the next request', async () => {
    const { producer, publisher } = publisherWith();
    const first = publisher.publish([record('a', 0)]);
    await nextMacrotask();
    const later = Array.from({ length: 50 }, (_, i) => publisher.publish([record('a', i + 1)]));
    await nextMacrotask();
    expect(producer.batches).toHaveLength(1);

    producer.complete(0);
    await first;
    expect(producer.batches).toHaveLength(2);
    expect(producer.recordCount(1)).toBe(50);
    producer.complete(1);
    await Promise.all(later);
  });

  it('resolves a call only once all of its records went out, when it spans several requests', async () => {
    const { producer, publisher } = publisherWith({ maxBatchMessages: 3 });
    let settled = false;
    const publishing = publisher.publish([0, 1, 2, 3, 4].map((n) => record('a', n))).then(() => {
      settled = true;
    });
    await nextMacrotask();
    expect(producer.recordCount(0)).toBe(3);
    producer.complete(0);
    await nextMacrotask();
    expect(settled).toBe(false);
    expect(producer.recordCount(1)).toBe(2);
    producer.complete(1);
    await publishing;
  });

  it('splits requests by estimated bytes, but always sends at least one record', async () => {
    const { producer, publisher } = publisherWith({ maxBatchBytes: 1_000 });
    const publishing = publisher.publish([record('a', 0, 2_000), record('a', 1, 400), record('a', 2, 400), record('a', 3, 400)]);
    await nextMacrotask();
    expect(producer.recordCount(0)).toBe(1);
    producer.complete(0);
    await nextMacrotask();
    expect(producer.recordCount(1)).toBe(2);
    producer.complete(1);
    await nextMacrotask();
    expect(producer.recordCount(2)).toBe(1);
    producer.complete(2);
    await publishing;
  });

  it('rejects every caller of a failed request with a retriable TransportError, and carries on', async () => {
    const { producer, publisher } = publisherWith();
    const failing = [publisher.publish([record('a', 0)]), publisher.publish([record('b', 1)])];
    await nextMacrotask();
    const next = publisher.publish([record('a', 2)]);
    producer.fail(0, new Error('broker went away'));

    for (const outcome of await Promise.allSettled(failing)) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.retriable).toBe(true);
      expect(error.message).toContain('broker went away');
    }
    await nextMacrotask();
    producer.complete(1);
    await next;
  });

  it('flush waits for everything queued and in flight', async () => {
    const { producer, publisher } = publisherWith();
    void publisher.publish([record('a', 0)]);
    let flushed = false;
    const flushing = publisher.flush().then(() => {
      flushed = true;
    });
    await nextMacrotask();
    expect(flushed).toBe(false);
    producer.complete(0);
    await flushing;
    await expect(publisher.flush()).resolves.toBeUndefined();
  });
});
