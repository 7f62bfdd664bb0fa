/** What memory has learned, as `memory-inspect` shows it: plain data, the same for every backend. */
export interface MemoryReport {
  /** The backend that holds memory (`postgres` or `sqlite`). */
  readonly store: string;
  /** Runs stored. */
  readonly runs: number;
  /** By tool, then worker type. */
  readonly tools: readonly ToolReport[];
  /** By failure code, tool, strategy. */
  readonly recoveries: readonly RecoveryReport[];
  readonly plans: PlanLibraryReport;
}

export interface ToolReport {
  readonly tool: string;
  readonly workerType: string;
  /** Tasks that settled (succeeded or failed). */
  readonly tasks: number;
  readonly succeeded: number;
  readonly failed: number;
  /** succeeded / tasks, 0..1. */
  readonly successRate: number;
  /** Dispatches per settled task, retries included (>= 1). */
  readonly attemptsPerTask: number;
  /** Of succeeded tasks, ms (0 when none succeeded). */
  readonly meanLatencyMs: number;
  readonly meanCost: number;
}

export interface RecoveryReport {
  readonly failureCode: string;
  readonly tool: string;
  readonly strategy: string;
  readonly tries: number;
  readonly recovered: number;
  /** recovered / tries, 0..1. */
  readonly recoveryRate: number;
  readonly meanCost: number;
}

export interface PlanLibraryReport {
  /** Plan shapes stored in all. */
  readonly shapes: number;
  /** The shapes with the most runs first, at most the limit asked for. */
  readonly entries: readonly PlanReport[];
}

export interface PlanReport {
  readonly planShape: string;
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: number;
  /** succeeded / (succeeded + failed), 0..1; null when every run was cancelled. */
  readonly successRate: number | null;
  /** Runs that needed a new plan after a failure. */
  readonly replanned: number;
  /** Runs that succeeded without a new plan. */
  readonly cleanRuns: number;
  /** Failed or needed new plans, and under 80% of its runs went through cleanly (`isFailingShape`): the planner is warned off it. */
  readonly flagged: boolean;
  readonly lastGoalId: string;
  readonly lastGoalText: string;
  /** Epoch ms. */
  readonly lastFinishedAt: number;
}
