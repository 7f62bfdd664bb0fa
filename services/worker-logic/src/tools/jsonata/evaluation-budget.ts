import { logicError, ToolError } from '@agentos/worker-kit';
import type { Expression } from 'jsonata';
import { abortedError } from '../shared/abort';

export interface EvaluationLimits {
  readonly maxEvalMs: number;
  /** Deepest nesting of evaluation steps; each level of a recursive call costs about three. */
  readonly maxDepth: number;
}

// JSONata 2.x looks its hooks up under these symbols. The string names of the 1.x "timebox"
// recipe (`expression.assign('__evaluate_entry', fn)`) are silently ignored by 2.x.
const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');
const EXIT_HOOK = Symbol.for('jsonata.__evaluate_exit');

// JSONata evaluates on microtasks only, which starve timers and I/O: without a periodic yield
// the task deadline could not fire and the worker would miss its heartbeats.
const STEPS_PER_YIELD = 1_000;

type AssignHook = (name: symbol, hook: (...args: unknown[]) => unknown) => void;

/**
 * Stops one evaluation that runs too long, recurses too deep or whose task was aborted,
 * checked on every evaluation step through JSONata's entry/exit hooks.
 */
export class EvaluationBudget {
  private depth = 0;
  private steps = 0;
  private readonly startedAt: number;
  private stopReason: ToolError | undefined;

  constructor(
    private readonly limits: EvaluationLimits,
    private readonly signal: AbortSignal,
    private readonly toolName: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.startedAt = clock();
  }

  /** Why the budget stopped the evaluation: JSONata may have wrapped the thrown error (inside `$eval`). */
  get stoppedBy(): ToolError | undefined {
    return this.stopReason;
  }

  attachTo(expression: Expression): void {
    const assign = expression.assign as unknown as AssignHook;
    assign.call(expression, ENTRY_HOOK, () => this.enter());
    assign.call(expression, EXIT_HOOK, () => {
      this.depth -= 1;
    });
  }

  private enter(): Promise<void> | undefined {
    this.depth += 1;
    this.steps += 1;
    this.check();
    return this.steps % STEPS_PER_YIELD === 0 ? yieldToEventLoop() : undefined;
  }

  private check(): void {
    if (this.signal.aborted) this.stop(abortedError(this.signal, this.toolName));
    if (this.depth > this.limits.maxDepth) {
      this.stop(
        logicError(`expression exceeded the evaluation depth limit of ${this.limits.maxDepth} (runaway recursion?)`, {
          maxDepth: this.limits.maxDepth,
        }),
      );
    }
    if (this.clock() - this.startedAt > this.limits.maxEvalMs) {
      this.stop(logicError(`expression exceeded ${this.limits.maxEvalMs} ms`, { maxEvalMs: this.limits.maxEvalMs }));
    }
  }

  private stop(reason: ToolError): never {
    this.stopReason = reason;
    throw reason;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
