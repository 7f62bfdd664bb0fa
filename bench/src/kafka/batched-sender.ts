import { Message, Producer } from 'kafkajs';
import { BUS_PUBLISHER_TUNING } from './kafka-settings';

/**
 * The raw baseline's publisher, batching the way AgentOS's BatchingPublisher does: records
 * sent while a produce request is in flight accumulate and leave together (acks=-1) when it
 * completes; an idle sender waits one macrotask. No per-call promises: the baseline is the
 * cheapest correct way to do the same thing.
 */
export class BatchedSender {
  private queue: Message[] = [];
  /** Per queued message: called once the broker acknowledged it (undefined when nobody asked). */
  private acks: Array<(() => void) | undefined> = [];
  private sending = false;
  private scheduled = false;
  private failure: Error | undefined;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly onError: (error: Error) => void,
  ) {}

  send(message: Message, onAcknowledged?: () => void): void {
    if (this.failure) return;
    this.queue.push(message);
    this.acks.push(onAcknowledged);
    if (!this.sending && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.sendNext();
      });
    }
  }

  /** Resolves once nothing is queued or in flight. */
  async idle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.sending || this.scheduled || this.queue.length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private sendNext(): void {
    if (this.queue.length === 0 || this.failure) return;
    const limit = BUS_PUBLISHER_TUNING.maxBatchMessages;
    const whole = this.queue.length <= limit;
    const batch = whole ? this.queue : this.queue.slice(0, limit);
    const acks = whole ? this.acks : this.acks.slice(0, limit);
    this.queue = whole ? [] : this.queue.slice(limit);
    this.acks = whole ? [] : this.acks.slice(limit);
    this.sending = true;
    this.producer.sendBatch({ acks: -1, topicMessages: [{ topic: this.topic, messages: batch }] }).then(
      () => {
        this.sending = false;
        for (const acknowledged of acks) acknowledged?.();
        this.sendNext();
      },
      (error: Error) => {
        this.sending = false;
        this.failure = error;
        this.onError(error);
      },
    );
  }
}
