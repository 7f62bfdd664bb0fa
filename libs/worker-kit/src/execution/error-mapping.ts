import { LIMITS, TaskError } from '@agentos/contracts';
import { ToolError } from '../tools/tool-error';

/** What a failed tool call means on the wire: a ToolError says itself; anything else is `internal`. */
export function toTaskError(error: unknown): TaskError {
  if (error instanceof ToolError) return error.toTaskError();
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'internal', message: message.slice(0, 4_000), retriable: false };
}

/**
 * A TaskError the Result contract accepts, whatever the tool put in it: the message cut to
 * the wire limit, `retryAfterMs` a whole number of ms within range. A Result that broke the
 * contract would be dead-lettered by the supervisor and surface only as a timeout.
 */
export function toWireError(error: TaskError): TaskError {
  const wire: { -readonly [K in keyof TaskError]: TaskError[K] } = { ...error };
  if (wire.message.length > LIMITS.maxErrorMessageLength) wire.message = wire.message.slice(0, LIMITS.maxErrorMessageLength);
  if (wire.retryAfterMs !== undefined) {
    wire.retryAfterMs = Number.isFinite(wire.retryAfterMs)
      ? Math.min(LIMITS.maxTaskTimeoutMs, Math.max(0, Math.ceil(wire.retryAfterMs)))
      : LIMITS.maxTaskTimeoutMs;
  }
  return wire;
}
