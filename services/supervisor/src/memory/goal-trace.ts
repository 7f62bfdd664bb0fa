import { RecoveryStrategy, TaskOutcome } from '@agentos/memory';

/** Where a goal's plan came from. */
export type PlanSource = 'explicit' | 'llm' | 'memory_exact' | 'memory_template';

/** What a task's outcome has already had counted elsewhere (its part before a reroute). */
export interface CountedSoFar {
  readonly attempts: number;
  readonly cost: number;
  readonly errorCodes: number;
}

/** A failure and the strategy chosen for it, settled when the goal ends. */
export interface PendingRecovery {
  readonly taskId: string;
  readonly tool: string;
  readonly workerType: string;
  readonly failureCode: string;
  readonly strategy: RecoveryStrategy;
  /** The attempt that failed: retry and reroute are judged by the attempt after it alone. */
  readonly failedAttempt: number;
  /** What the task had cost when the strategy was chosen: later attempts are the recovery's cost. */
  readonly taskCostBefore: number;
  /** Replan only: cost units of the LLM calls that made the new plan. */
  llmCost: number;
  /** Replan only: the new plan's tasks standing in for the failed one (same tool, new ids). */
  standIns: readonly string[];
}

/**
 * What memory follows of one goal across its runs (a replan replaces the run, not the goal):
 * where the plan came from, the first plan's shape, tasks of replaced plans, and the recoveries
 * to settle when the goal ends.
 */
export class GoalTrace {
  /** Tasks of replaced plans that did not carry over into the next one. */
  readonly retired: TaskOutcome[] = [];
  /** The failed part of rerouted tasks, on the worker type they left: that type's failures count against it. */
  readonly rerouted: TaskOutcome[] = [];
  /** Per task id: attempts, cost and error codes already counted in `rerouted`, left out of the task's own outcome. */
  readonly counted = new Map<string, CountedSoFar>();
  readonly recoveries: PendingRecovery[] = [];

  constructor(
    readonly planSource: PlanSource,
    /** Shape of the plan the goal started with: the shape its outcome is counted against. */
    readonly initialShape: string,
    /** The goal's embedding when planning needed it already (saves embedding the text twice). */
    readonly embedding?: Float32Array,
  ) {}
}
