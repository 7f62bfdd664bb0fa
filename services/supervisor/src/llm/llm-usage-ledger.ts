import { LlmUsage } from './llm-client';

export interface LlmUsageTotals extends LlmUsage {
  /** Responses that reported usage, whether or not their output was accepted. */
  readonly requests: number;
}

const ZERO: LlmUsageTotals = { promptTokens: 0, completionTokens: 0, totalTokens: 0, requests: 0 };

function add(totals: LlmUsageTotals, usage: LlmUsage): LlmUsageTotals {
  return {
    promptTokens: totals.promptTokens + usage.promptTokens,
    completionTokens: totals.completionTokens + usage.completionTokens,
    totalTokens: totals.totalTokens + usage.totalTokens,
    requests: totals.requests + 1,
  };
}

/**
 * Tokens spent per goal and in total: every answered request counts, including output that
 * was then rejected, because it was paid for. For budgets; `forget` a goal once it has ended.
 */
export class LlmUsageLedger {
  private readonly byGoal = new Map<string, LlmUsageTotals>();
  private overall: LlmUsageTotals = ZERO;

  /** `onUsage`: told of every recorded usage too (the token metrics). */
  constructor(private readonly onUsage?: (usage: LlmUsage) => void) {}

  record(goalId: string, usage: LlmUsage): void {
    this.byGoal.set(goalId, add(this.byGoal.get(goalId) ?? ZERO, usage));
    this.overall = add(this.overall, usage);
    this.onUsage?.(usage);
  }

  forGoal(goalId: string): LlmUsageTotals {
    return this.byGoal.get(goalId) ?? ZERO;
  }

  /** Since the process started; forgetting a goal does not lower it. */
  total(): LlmUsageTotals {
    return this.overall;
  }

  forget(goalId: string): void {
    this.byGoal.delete(goalId);
  }
}
