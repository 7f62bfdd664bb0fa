import { Logger } from '@nestjs/common';
import { IHeaders, KafkaMessage } from 'kafkajs';
import { DeadLetter } from '../message-bus';
import { BatchingPublisher } from './batching-publisher';

export const DLQ_HEADERS = {
  code: 'x-agentos-dlq-code',
  reason: 'x-agentos-dlq-reason',
  sourceTopic: 'x-agentos-dlq-source-topic',
  sourcePartition: 'x-agentos-dlq-source-partition',
  sourceOffset: 'x-agentos-dlq-source-offset',
  deliveryCount: 'x-agentos-dlq-delivery-count',
} as const;

const MAX_REASON_BYTES = 1_024;

/** A record given up on, and why. */
export interface DeadLetterSource {
  readonly topic: string;
  readonly partition: number;
  readonly record: KafkaMessage;
  readonly code: string;
  readonly reason: string;
  readonly deliveryCount: number;
}

/**
 * Writes records that cannot be processed to the dead-letter topic exactly as they arrived
 * (same key, same value bytes, original headers) plus headers saying where they came from
 * and why, then tells the `onDeadLetter` listeners. The caller moves past the record only
 * after `publish` resolved, so a record is never both unprocessed and absent from the DLQ.
 */
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly listeners = new Set<(deadLetter: DeadLetter) => void>();

  constructor(
    private readonly publisher: BatchingPublisher,
    private readonly dlqTopic: string,
  ) {}

  onDeadLetter(listener: (deadLetter: DeadLetter) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(source: DeadLetterSource): Promise<void> {
    const { record } = source;
    const headers: IHeaders = {
      ...record.headers,
      [DLQ_HEADERS.code]: source.code,
      [DLQ_HEADERS.reason]: truncateUtf8(source.reason, MAX_REASON_BYTES),
      [DLQ_HEADERS.sourceTopic]: source.topic,
      [DLQ_HEADERS.sourcePartition]: String(source.partition),
      [DLQ_HEADERS.sourceOffset]: record.offset,
      [DLQ_HEADERS.deliveryCount]: String(source.deliveryCount),
    };
    await this.publisher.publish([{ topic: this.dlqTopic, key: record.key, value: record.value, headers }]);

    const deadLetter: DeadLetter = {
      topic: source.topic,
      key: record.key?.toString('utf8'),
      code: source.code,
      reason: source.reason,
      deliveryCount: source.deliveryCount,
    };
    this.logger.warn(
      `dead-lettered ${source.topic}[${source.partition}]@${record.offset} after ${source.deliveryCount} deliveries (${source.code}): ${deadLetter.reason.slice(0, 200)}`,
    );
    for (const listener of this.listeners) {
      try {
        listener(deadLetter);
      } catch (error) {
        this.logger.error(`an onDeadLetter listener threw: ${(error as Error).message}`);
      }
    }
  }
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    const size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
