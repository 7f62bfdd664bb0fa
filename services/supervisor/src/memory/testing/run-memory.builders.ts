import { JsonObject, TaskGraph } from '@agentos/contracts';
import { goalTemplate, LocalHashEmbedder, normalizeGoalText, planShape, RecoveryOutcome, RecoveryStrategy, RunMemory, TaskOutcome } from '@agentos/memory';

/**
 * Builders of the records memory keeps of finished runs, for the supervisor's memory specs.
 * Every default is neutral (no LLM call, no cost, no tasks, a fixed goal and shape): a spec
 * passes whatever its assertions depend on.
 */

/**
 * A finished run of `goalId` that succeeded, with no plan, tasks, recoveries, LLM calls or cost,
 * of plan shape `shape-a`, embedded as a one-hot vector by `test-model`; `extra` overrides any field.
 */
export function runMemory(goalId: string, extra: Partial<RunMemory> = {}): RunMemory {
  return {
    goalId,
    goalText: `goal ${goalId}`,
    normalizedGoal: `goal ${goalId}`,
    goalTemplate: `goal ${goalId}`,
    embedding: Float32Array.of(1, 0, 0, 0),
    embeddingModel: 'test-model',
    plan: { tasks: [] },
    planShape: 'shape-a',
    status: 'succeeded',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_001_000,
    llmCalls: 0,
    llmTokens: 0,
    cost: 0,
    tasks: [],
    recoveries: [],
    ...extra,
  };
}

/**
 * A finished run of `goalText` that ran `graph`, with every field derived from them as the
 * supervisor records it (normalised text, template key, embedding by `embedder`, plan, plan
 * shape), after one planner call of 100 tokens and 1 cost unit; no tasks unless `extra` gives them.
 */
export function goalRun(
  goalId: string,
  goalText: string,
  graph: TaskGraph,
  embedder: Pick<LocalHashEmbedder, 'model' | 'embedText'>,
  extra: Partial<RunMemory> = {},
): RunMemory {
  return runMemory(goalId, {
    goalText,
    normalizedGoal: normalizeGoalText(goalText),
    goalTemplate: goalTemplate(goalText).key,
    embedding: embedder.embedText(goalText),
    embeddingModel: embedder.model,
    plan: graph as unknown as JsonObject,
    planShape: planShape(graph),
    llmCalls: 1,
    llmTokens: 100,
    cost: 1,
    ...extra,
  });
}

/**
 * How a task went: one attempt settling it in 1 ms (none, and 0 ms, when it never ran), at no
 * cost and with no error codes; `extra` overrides any field.
 */
export function taskOutcome(taskId: string, tool: string, workerType: string, status: TaskOutcome['status'], extra: Partial<TaskOutcome> = {}): TaskOutcome {
  const ran = status !== 'not_run';
  return { taskId, tool, workerType, status, attempts: ran ? 1 : 0, latencyMs: ran ? 1 : 0, cost: 0, errorCodes: [], ...extra };
}

/** One outcome per task of `graph` (its id, tool and worker type), each with `status` and `extra`. */
export function planOutcomes(graph: TaskGraph, status: TaskOutcome['status'], extra: Partial<TaskOutcome> = {}): TaskOutcome[] {
  return graph.tasks.map((task) => taskOutcome(task.id, task.tool, task.workerType, status, extra));
}

/**
 * `attempts` single-attempt tasks `t0`, `t1`, … of `tool` on `workerType`, each costing `cost`:
 * the first `successes` succeeded, the others failed with `transient`.
 */
export function singleAttemptTasks(tool: string, workerType: string, successes: number, attempts: number, cost = 1): TaskOutcome[] {
  return Array.from({ length: attempts }, (_, i) =>
    i < successes ? taskOutcome(`t${i}`, tool, workerType, 'succeeded', { cost }) : taskOutcome(`t${i}`, tool, workerType, 'failed', { cost, errorCodes: ['transient'] }),
  );
}

/** A failure of a task of `tool` and what `strategy` achieved, on a `logic` worker at no cost unless `extra` says otherwise. */
export function recoveryOutcome(
  taskId: string,
  tool: string,
  failureCode: string,
  strategy: RecoveryStrategy,
  recovered: boolean,
  extra: Partial<RecoveryOutcome> = {},
): RecoveryOutcome {
  return { taskId, tool, workerType: 'logic', failureCode, strategy, recovered, cost: 0, ...extra };
}
