import { JsonObject } from '@agentos/contracts';
import { PlanShapeStats, RecoveryOutcome, RecoveryStats, RunMemory, StoredEmbedding, TaskOutcome, ToolStats } from '../memory-records';
import { decodeEmbedding } from './embedding-codec';
import { MemoryStoreError } from './memory-store-error';

/** What differs between the two backends' SQL for the aggregates; the rest is written once, here. */
export interface SqlDialect {
  /** A table name as the queries must write it (schema-qualified on PostgreSQL). */
  table(name: 'runs' | 'task_outcomes' | 'recovery_outcomes'): string;
  /**
   * An aggregate adding doubles one by one in the order given to it. PostgreSQL's `sum(float8)`
   * does; SQLite's `sum` compensates (Kahan-Babuska), so SQLite registers a plain one. With the
   * same order on both, means agree to the last bit.
   */
  readonly plainSum: string;
  readonly double: string;
}

/**
 * The three aggregates. Orders (bytewise on text, so both backends agree):
 * toolStats by tool, worker type; recoveryStats by failure code, tool, strategy; planShapes by
 * runs descending, then plan shape. Sums of doubles run in (goal_id, ordinal) order.
 */
export function aggregateQueries(dialect: SqlDialect): { toolStats: string; recoveryStats: string; planShapes: string } {
  const { plainSum, double } = dialect;
  const succeeded = `COUNT(*) FILTER (WHERE status = 'succeeded')`;
  return {
    toolStats: `
      SELECT tool, worker_type,
             COUNT(*) AS tasks,
             ${succeeded} AS succeeded,
             COUNT(*) FILTER (WHERE status = 'failed') AS failed,
             SUM(attempts) AS attempts,
             CASE WHEN ${succeeded} = 0 THEN 0
                  ELSE CAST(${plainSum}(latency_ms ORDER BY goal_id, ordinal) FILTER (WHERE status = 'succeeded') AS ${double})
                       / CAST(${succeeded} AS ${double})
             END AS mean_latency_ms,
             CAST(${plainSum}(cost ORDER BY goal_id, ordinal) AS ${double}) / CAST(COUNT(*) AS ${double}) AS mean_cost
        FROM ${dialect.table('task_outcomes')}
       WHERE status IN ('succeeded', 'failed')
       GROUP BY tool, worker_type
       ORDER BY tool, worker_type`,
    recoveryStats: `
      SELECT failure_code, tool, strategy,
             COUNT(*) AS tries,
             COUNT(*) FILTER (WHERE recovered) AS recovered_count,
             CAST(${plainSum}(cost ORDER BY goal_id, ordinal) AS ${double}) / CAST(COUNT(*) AS ${double}) AS mean_cost
        FROM ${dialect.table('recovery_outcomes')}
       GROUP BY failure_code, tool, strategy
       ORDER BY failure_code, tool, strategy`,
    planShapes: `
      WITH shapes AS (
        SELECT plan_shape,
               COUNT(*) AS runs,
               COUNT(*) FILTER (WHERE status = 'succeeded') AS succeeded,
               COUNT(*) FILTER (WHERE status = 'failed') AS failed,
               COUNT(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM ${dialect.table('recovery_outcomes')} AS recovery
                  WHERE recovery.goal_id = runs.goal_id AND recovery.strategy = 'replan'
               )) AS replanned
          FROM ${dialect.table('runs')} AS runs
         GROUP BY plan_shape
      ), latest AS (
        SELECT plan_shape, goal_id, goal_text, finished_at,
               ROW_NUMBER() OVER (PARTITION BY plan_shape ORDER BY finished_at DESC, goal_id DESC) AS recency
          FROM ${dialect.table('runs')}
      )
      SELECT shapes.plan_shape, shapes.runs, shapes.succeeded, shapes.failed, shapes.replanned,
             latest.goal_id, latest.goal_text, latest.finished_at
        FROM shapes
        JOIN latest ON latest.plan_shape = shapes.plan_shape AND latest.recency = 1
       ORDER BY shapes.runs DESC, shapes.plan_shape`,
  };
}

/** Integers and numerics arrive as strings from PostgreSQL (bigint, numeric), as numbers from SQLite. */
type DbNumber = number | string | bigint;

export interface RunRow {
  readonly goal_id: string;
  readonly goal_text: string;
  readonly normalized_goal: string;
  readonly goal_template: string;
  readonly embedding: Uint8Array;
  readonly embedding_model: string;
  /** Parsed JSONB from PostgreSQL, JSON text from SQLite. */
  readonly plan: JsonObject | string;
  readonly plan_shape: string;
  readonly status: RunMemory['status'];
  readonly started_at: DbNumber;
  readonly finished_at: DbNumber;
  readonly llm_calls: DbNumber;
  readonly llm_tokens: DbNumber;
  readonly cost: DbNumber;
}

export interface TaskRow {
  readonly task_id: string;
  readonly tool: string;
  readonly worker_type: string;
  readonly status: TaskOutcome['status'];
  readonly attempts: DbNumber;
  readonly latency_ms: DbNumber;
  readonly cost: DbNumber;
  readonly error_codes: readonly string[] | string;
}

export interface RecoveryRow {
  readonly task_id: string;
  readonly tool: string;
  readonly worker_type: string;
  readonly failure_code: string;
  readonly strategy: RecoveryOutcome['strategy'];
  readonly recovered: boolean | number;
  readonly cost: DbNumber;
}

export interface EmbeddingRow {
  readonly goal_id: string;
  readonly embedding_model: string;
  readonly embedding: Uint8Array;
  readonly status: RunMemory['status'];
}

export interface ToolStatsRow {
  readonly tool: string;
  readonly worker_type: string;
  readonly tasks: DbNumber;
  readonly succeeded: DbNumber;
  readonly failed: DbNumber;
  readonly attempts: DbNumber;
  readonly mean_latency_ms: DbNumber;
  readonly mean_cost: DbNumber;
}

export interface RecoveryStatsRow {
  readonly failure_code: string;
  readonly tool: string;
  readonly strategy: RecoveryOutcome['strategy'];
  readonly tries: DbNumber;
  readonly recovered_count: DbNumber;
  readonly mean_cost: DbNumber;
}

export interface PlanShapeRow {
  readonly plan_shape: string;
  readonly runs: DbNumber;
  readonly succeeded: DbNumber;
  readonly failed: DbNumber;
  readonly replanned: DbNumber;
  readonly goal_id: string;
  readonly goal_text: string;
  readonly finished_at: DbNumber;
}

function num(value: DbNumber): number {
  return typeof value === 'number' ? value : Number(value);
}

function parseJson<T>(value: T | string, what: string, goalId: string): T {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as T;
  } catch (error) {
    throw new MemoryStoreError('memory_failed', `stored ${what} of goal ${goalId} is not JSON`, { goalId }, error);
  }
}

export function runFromRows(run: RunRow, tasks: readonly TaskRow[], recoveries: readonly RecoveryRow[]): RunMemory {
  return {
    goalId: run.goal_id,
    goalText: run.goal_text,
    normalizedGoal: run.normalized_goal,
    goalTemplate: run.goal_template,
    embedding: decodeEmbedding(run.embedding, run.goal_id),
    embeddingModel: run.embedding_model,
    plan: parseJson(run.plan, 'plan', run.goal_id),
    planShape: run.plan_shape,
    status: run.status,
    startedAt: num(run.started_at),
    finishedAt: num(run.finished_at),
    llmCalls: num(run.llm_calls),
    llmTokens: num(run.llm_tokens),
    cost: num(run.cost),
    tasks: tasks.map((task) => ({
      taskId: task.task_id,
      tool: task.tool,
      workerType: task.worker_type,
      status: task.status,
      attempts: num(task.attempts),
      latencyMs: num(task.latency_ms),
      cost: num(task.cost),
      errorCodes: parseJson(task.error_codes, 'error codes', run.goal_id),
    })),
    recoveries: recoveries.map((recovery) => ({
      taskId: recovery.task_id,
      tool: recovery.tool,
      workerType: recovery.worker_type,
      failureCode: recovery.failure_code,
      strategy: recovery.strategy,
      recovered: recovery.recovered === true || recovery.recovered === 1,
      cost: num(recovery.cost),
    })),
  };
}

export function embeddingFromRow(row: EmbeddingRow): StoredEmbedding {
  return {
    goalId: row.goal_id,
    embeddingModel: row.embedding_model,
    embedding: decodeEmbedding(row.embedding, row.goal_id),
    status: row.status,
  };
}

export function toolStatsFromRow(row: ToolStatsRow): ToolStats {
  return {
    tool: row.tool,
    workerType: row.worker_type,
    tasks: num(row.tasks),
    succeeded: num(row.succeeded),
    failed: num(row.failed),
    attempts: num(row.attempts),
    meanLatencyMs: num(row.mean_latency_ms),
    meanCost: num(row.mean_cost),
  };
}

export function recoveryStatsFromRow(row: RecoveryStatsRow): RecoveryStats {
  return {
    failureCode: row.failure_code,
    tool: row.tool,
    strategy: row.strategy,
    tries: num(row.tries),
    recovered: num(row.recovered_count),
    meanCost: num(row.mean_cost),
  };
}

export function planShapeFromRow(row: PlanShapeRow): PlanShapeStats {
  return {
    planShape: row.plan_shape,
    runs: num(row.runs),
    succeeded: num(row.succeeded),
    failed: num(row.failed),
    replanned: num(row.replanned),
    lastGoalId: row.goal_id,
    lastGoalText: row.goal_text,
    lastFinishedAt: num(row.finished_at),
  };
}
