import { TaskError } from '@agentos/contracts';
import { backoffDelayMs } from './backoff';
import { DEFAULT_POLICY_TABLE, PolicyTable } from './policy-table';

export type FailureDecision =
  | { readonly action: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly action: 'replan'; readonly reason: string }
  | { readonly action: 'fail_goal'; readonly reason: string };

export interface FailurePolicyOptions {
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly table?: PolicyTable;
  readonly random?: () => number;
}

/** What the run has spent already, for the policy's limits. */
export interface FailureHistory {
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly replans: number;
  readonly maxReplans: number;
}

/**
 * What a failed task means: the one place that decides, from the error code through the policy
 * table (an operator's to change). `retry` runs the task again with backoff (never sooner than
 * the worker's `retryAfterMs`) while attempts remain; `replan` asks for a new plan for what is
 * unfinished while replans remain; anything else, or a limit reached, fails the goal.
 */
export class FailurePolicy {
  private readonly table: PolicyTable;

  constructor(private readonly options: FailurePolicyOptions) {
    this.table = options.table ?? DEFAULT_POLICY_TABLE;
  }

  decide(error: TaskError, history: FailureHistory): FailureDecision {
    const strategy = this.table[error.code];
    if (strategy === 'fail') {
      return { action: 'fail_goal', reason: `${error.code} fails the goal: ${error.message}` };
    }
    if (strategy === 'replan') {
      if (history.replans >= history.maxReplans) {
        return { action: 'fail_goal', reason: `${error.code} needs a new plan, but all ${history.maxReplans} replans are spent: ${error.message}` };
      }
      return { action: 'replan', reason: `${error.code} needs a new plan for the unfinished tasks (replan ${history.replans + 1} of ${history.maxReplans}): ${error.message}` };
    }
    const { attempt, maxAttempts } = history;
    if (attempt >= maxAttempts) {
      return { action: 'fail_goal', reason: `gave up after ${attempt} of ${maxAttempts} attempts; last error ${error.code}: ${error.message}` };
    }
    const delayMs = this.retryDelayMs(attempt, error);
    return { action: 'retry', delayMs, reason: `${error.code} is retried: attempt ${attempt + 1} of ${maxAttempts} in ${delayMs} ms` };
  }

  /** Backoff before the next attempt, never sooner than the worker's `retryAfterMs`. */
  retryDelayMs(attempt: number, error: TaskError): number {
    return Math.max(backoffDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs, this.options.random), error.retryAfterMs ?? 0);
  }
}
