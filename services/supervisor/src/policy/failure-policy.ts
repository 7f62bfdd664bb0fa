import { TaskError } from '@agentos/contracts';
import { backoffDelayMs } from './backoff';

export type FailureDecision =
  | { readonly action: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly action: 'fail_goal'; readonly reason: string };

export interface FailurePolicyOptions {
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly random?: () => number;
}

/**
 * What a failed task means: the one place that decides. A retriable error is retried with
 * backoff (never sooner than the worker's `retryAfterMs`) while attempts remain; anything
 * else fails the goal. Later policies (rate-limit backpressure, replanning) grow here.
 */
export class FailurePolicy {
  constructor(private readonly options: FailurePolicyOptions) {}

  decide(error: TaskError, attempt: number, maxAttempts: number): FailureDecision {
    if (!error.retriable) {
      return { action: 'fail_goal', reason: `${error.code} is not retriable: ${error.message}` };
    }
    if (attempt >= maxAttempts) {
      return { action: 'fail_goal', reason: `gave up after ${attempt} of ${maxAttempts} attempts; last error ${error.code}: ${error.message}` };
    }
    const delayMs = Math.max(
      backoffDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs, this.options.random),
      error.retryAfterMs ?? 0,
    );
    return { action: 'retry', delayMs, reason: `${error.code} is retriable; attempt ${attempt + 1} of ${maxAttempts} in ${delayMs} ms` };
  }
}
