import { logicError, ToolError } from '@agentos/worker-kit';
import { parseRetryAfter } from './retry-after';

/** Statuses that say nothing went wrong (3xx only reach here when not followed). */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 400;
}

/**
 * What a failure status means to the supervisor: 429 slow down, 408 and 5xx try again,
 * any other 4xx fix the request. `bodyPreview` helps whoever replans understand a 4xx.
 */
export function errorForStatus(status: number, origin: string, retryAfterHeader: string | undefined, bodyPreview: string): ToolError {
  const message = `HTTP ${status} from ${origin}`;
  const retryAfterMs = parseRetryAfter(retryAfterHeader);
  if (status === 429) return new ToolError('rate_limited', message, { retryAfterMs, details: { status } });
  if (status === 408 || status >= 500) return new ToolError('transient', message, { retryAfterMs, details: { status } });
  return logicError(message, { status, body: bodyPreview });
}
