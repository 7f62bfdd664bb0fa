import { LIMITS } from '@agentos/contracts';
import { logicError } from '@agentos/worker-kit';

/**
 * A tool's output travels inside one Result message, which may not exceed
 * `LIMITS.maxMessageBytes`; the rest of the envelope needs some room.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = LIMITS.maxMessageBytes - 64 * 1024;

/** Size of a value as it goes on the wire: UTF-8 JSON, escapes included. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/** A valid input can still produce more than a message can carry: that is the input's logic, not a fault. */
export function assertOutputFits(value: unknown, maxBytes: number, what: string): void {
  const bytes = jsonByteLength(value);
  if (bytes > maxBytes) {
    throw logicError(`${what} is ${bytes} bytes as JSON, more than the ${maxBytes} allowed`, { bytes, maxBytes });
  }
}
