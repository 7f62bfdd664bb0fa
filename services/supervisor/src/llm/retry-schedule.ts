import { backoffDelayMs } from '../policy/backoff';
import { LlmError } from './llm-error';

export interface RetryTiming {
  /** First backoff when the server gives no retry-after; doubles per retry, with jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A server asking for a longer wait than this gets no retry now: the caller is told to come back later. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_TIMING: RetryTiming = { baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

const RETRIED_HERE: ReadonlySet<LlmError['code']> = new Set(['llm_rate_limited', 'llm_unavailable', 'llm_timeout']);

/**
 * How long to wait before retry number `retry` (1-based) after `failure`, or undefined when this
 * failure is not retried here: not transient, or the server wants more time than we will wait.
 */
export function retryDelayMs(failure: LlmError, retry: number, timing: RetryTiming, random: () => number = Math.random): number | undefined {
  if (!RETRIED_HERE.has(failure.code)) return undefined;
  const asked = failure.details.retryAfterMs;
  if (asked !== undefined) return asked <= timing.maxRetryAfterMs ? asked : undefined;
  return backoffDelayMs(retry, timing.baseDelayMs, timing.maxDelayMs, random);
}
