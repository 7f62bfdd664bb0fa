import { JsonObject } from '@agentos/contracts';

/** How one task of a finished run went. */
export interface TaskOutcome {
  readonly taskId: string;
  readonly tool: string;
  readonly workerType: string;
  readonly status: 'succeeded' | 'failed' | 'not_run';
  /** Dispatches of the task, retries included. */
  readonly attempts: number;
  /** Dispatch-to-result time of the attempt that settled it, in ms (0 when it never settled). */
  readonly latencyMs: number;
  /** Simulated or reported cost units the task spent, all attempts together. */
  readonly cost: number;
  /** Error code of every failed attempt, in order. */
  readonly errorCodes: readonly string[];
}

/** A recovery strategy the supervisor can choose for a failure. */
export type RecoveryStrategy = 'retry' | 'retry_subgraph' | 'reroute' | 'replan' | 'fail_goal';

/** One failure and what the chosen strategy achieved. */
export interface RecoveryOutcome {
  readonly taskId: string;
  readonly tool: string;
  readonly workerType: string;
  readonly failureCode: string;
  readonly strategy: RecoveryStrategy;
  /** Whether the task (or the part replanned in its place) succeeded in the end. */
  readonly recovered: boolean;
  /** Cost units spent on the recovery (extra attempts, replanning). */
  readonly cost: number;
}

/** Everything memory keeps of one finished run (issue 5, "what it records"). */
export interface RunMemory {
  readonly goalId: string;
  readonly goalText: string;
  /** The goal text normalised (lower case, whitespace and punctuation folded): exact-match reuse. */
  readonly normalizedGoal: string;
  /**
   * The goal's template key (`goalTemplate(text).key`: the normalised text with its parameters,
   * numbers, paths, quoted strings and the like, replaced by placeholders): template reuse.
   */
  readonly goalTemplate: string;
  /** Unit-length embedding of the goal text. */
  readonly embedding: Float32Array;
  /** Which embedder made it (model name, or `local-hash-v1`): vectors of different models never compare. */
  readonly embeddingModel: string;
  /** The task graph that ran, assignment (worker type per task) included. */
  readonly plan: JsonObject;
  /** A hash of the plan's structure (tools, worker types, edges; not inputs): plans of one shape share stats. */
  readonly planShape: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly llmCalls: number;
  readonly llmTokens: number;
  /** Cost units of the whole run (tasks and LLM). */
  readonly cost: number;
  readonly tasks: readonly TaskOutcome[];
  readonly recoveries: readonly RecoveryOutcome[];
}

/** What memory learned about a tool on a worker type. */
export interface ToolStats {
  readonly tool: string;
  readonly workerType: string;
  /** Tasks that ran (settled one way or the other). */
  readonly tasks: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Attempts in all (>= tasks). */
  readonly attempts: number;
  /** Mean latency of succeeded tasks, ms (0 when none). */
  readonly meanLatencyMs: number;
  /** Mean cost per task. */
  readonly meanCost: number;
}

/** What a strategy achieved for a failure class on a tool. */
export interface RecoveryStats {
  readonly failureCode: string;
  readonly tool: string;
  readonly strategy: RecoveryStrategy;
  readonly tries: number;
  readonly recovered: number;
  readonly meanCost: number;
}

/** How runs of one plan shape went. */
export interface PlanShapeStats {
  readonly planShape: string;
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Runs that needed a new plan on the way (a recovery by `replan`), whatever their end. */
  readonly replanned: number;
  /** The most recent goal run with this shape, and its plan: the library entry. */
  readonly lastGoalId: string;
  readonly lastGoalText: string;
  readonly lastFinishedAt: number;
}

/** A stored goal's embedding, for the nearest-neighbour index. */
export interface StoredEmbedding {
  readonly goalId: string;
  readonly embeddingModel: string;
  readonly embedding: Float32Array;
  readonly status: RunMemory['status'];
}

/**
 * Where memory lives: PostgreSQL in production, SQLite embedded by default. Both pass one
 * contract suite (`memory-store.contract.ts`). Aggregates are computed by the database.
 */
export interface MemoryStore {
  /** `postgres` or `sqlite`. */
  readonly kind: string;
  /** Creates or upgrades the schema (idempotent; safe with several processes starting at once). */
  migrate(): Promise<void>;
  /** Records a finished run; recording the same goalId again replaces it (at-least-once callers). */
  recordRun(run: RunMemory): Promise<void>;
  run(goalId: string): Promise<RunMemory | undefined>;
  /** The latest succeeded run whose normalised goal is exactly this one. */
  latestSucceededByNormalizedGoal(normalizedGoal: string): Promise<RunMemory | undefined>;
  /** The latest succeeded run whose goal has this template key. */
  latestSucceededByTemplate(goalTemplate: string): Promise<RunMemory | undefined>;
  /** Every stored embedding of one model (to load the nearest-neighbour index), oldest first. */
  embeddings(embeddingModel: string): Promise<StoredEmbedding[]>;
  toolStats(): Promise<ToolStats[]>;
  recoveryStats(): Promise<RecoveryStats[]>;
  planShapes(): Promise<PlanShapeStats[]>;
  /** Runs stored. */
  count(): Promise<number>;
  /**
   * Resolves once the database has answered a trivial query (what a readiness probe asks);
   * rejects with the MemoryStoreError a real call would meet (unreachable, closed). Needs no migration.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}
