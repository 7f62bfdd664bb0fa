import { TransportError } from '../errors/agentos-error';
import { OutboundMessage } from './message-bus';

/** Rejects an explicit partition that cannot name one: a caller's bug, so not retriable. */
export function assertValidPartitions(messages: readonly OutboundMessage[]): void {
  for (const { topic, key, partition } of messages) {
    if (partition === undefined || (Number.isSafeInteger(partition) && partition >= 0)) continue;
    throw new TransportError(`an explicit partition must be a non-negative integer, got ${String(partition)} for ${topic} (key ${key})`, false, {
      topic,
      key,
      partition,
    });
  }
}
