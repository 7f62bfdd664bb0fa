import { JsonObject } from '@agentos/contracts';
import { PlanShapeStats, RecoveryOutcome, RecoveryStats, RunMemory, TaskOutcome, ToolStats } from '../memory-records';

/**
 * Hand-built runs for the memory store tests, and the aggregates recomputed from them in plain
 * TypeScript (so the expected numbers come from the fixture, not from constants).
 */

/** Orders strings as both databases do: bytewise on UTF-8 (code point order). */
export function bytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function task(taskId: string, tool: string, workerType: string, status: TaskOutcome['status'], extra: Partial<TaskOutcome> = {}): TaskOutcome {
  return { taskId, tool, workerType, status, attempts: status === 'not_run' ? 0 : 1, latencyMs: 0, cost: 0, errorCodes: [], ...extra };
}

export function recovery(taskId: string, tool: string, failureCode: string, strategy: RecoveryOutcome['strategy'], recovered: boolean, cost: number): RecoveryOutcome {
  return { taskId, tool, workerType: tool.startsWith('fs.') ? 'io' : 'logic', failureCode, strategy, recovered, cost };
}

/** A unit-length embedding of `dimensions` values derived from `seed`, with awkward bit patterns mixed in. */
export function embeddingFor(seed: number, dimensions = 8): Float32Array {
  const raw = Array.from({ length: dimensions }, (_value, index) => Math.sin(seed * 7.3 + index * 1.7));
  const norm = Math.hypot(...raw);
  const values = Float32Array.from(raw, (value) => value / norm);
  // Bit patterns a lossy encoding would lose; the vector stays unit length to float32 precision.
  values[0] = -0;
  if (dimensions > 2) values[1] = 1.4e-45; // the smallest subnormal float32
  return values;
}

export function samplePlan(tools: readonly string[]): JsonObject {
  return {
    tasks: tools.map((tool, index) => ({
      id: `t${index}`,
      workerType: tool.startsWith('fs.') ? 'io' : 'logic',
      tool,
      input: { expression: `${index} + 1`, nested: { list: [1, 2.5, -3e-7, true, null, 'ünïcödé ✓ 😀'], empty: {}, none: [] } },
      ...(index > 0 ? { dependsOn: [`t${index - 1}`] } : {}),
    })),
    outputs: [`t${tools.length - 1}`],
  };
}

export function sampleRun(goalId: string, extra: Partial<RunMemory> = {}): RunMemory {
  const tasks = extra.tasks ?? [task('parse', 'csv.parse', 'logic', 'succeeded', { latencyMs: 12.5, cost: 0.1 })];
  return {
    goalId,
    goalText: `Goal ${goalId}: sum two numbers`,
    normalizedGoal: `goal ${goalId.toLowerCase()} sum two numbers`,
    goalTemplate: `goal ${goalId.toLowerCase()} sum two numbers`,
    embedding: embeddingFor(goalId.length + goalId.charCodeAt(goalId.length - 1)),
    embeddingModel: 'local-hash-v1',
    plan: samplePlan(tasks.map((outcome) => outcome.tool)),
    planShape: 'shape-single',
    status: 'succeeded',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_001_000,
    llmCalls: 2,
    llmTokens: 1_234,
    cost: 0.5,
    tasks,
    recoveries: [],
    ...extra,
  };
}

const T0 = 1_700_000_000_000;

/**
 * Six runs over three plan shapes and two embedding models: every task status, a cancelled
 * run, shared tools across worker types, recoveries of every outcome, costs that are not
 * exact in binary, tool names whose order differs between bytewise and dictionary collation,
 * and two runs finishing at the same millisecond.
 */
export function aggregateFixture(): RunMemory[] {
  return [
    sampleRun('goal-a', {
      normalizedGoal: 'sum two numbers',
      planShape: 'shape-csv',
      finishedAt: T0 + 1_000,
      tasks: [
        task('read', 'fs.read', 'io', 'succeeded', { attempts: 2, latencyMs: 30, cost: 0.2, errorCodes: ['timeout'] }),
        task('parse', 'csv.parse', 'logic', 'succeeded', { latencyMs: 12.5, cost: 0.1 }),
      ],
      recoveries: [recovery('read', 'fs.read', 'timeout', 'retry', true, 0.1)],
    }),
    sampleRun('goal-b', {
      normalizedGoal: 'sum two numbers',
      planShape: 'shape-csv',
      status: 'failed',
      finishedAt: T0 + 2_000,
      tasks: [
        task('read', 'fs.read', 'io', 'succeeded', { latencyMs: 25.25, cost: 0.7 }),
        task('parse', 'csv.parse', 'logic', 'failed', { attempts: 3, latencyMs: 0, cost: 1 / 3, errorCodes: ['logic_error', 'logic_error', 'invalid_input'] }),
        task('report', 'text.template', 'logic', 'not_run'),
      ],
      recoveries: [
        recovery('parse', 'csv.parse', 'logic_error', 'retry', false, 0.2),
        recovery('parse', 'csv.parse', 'logic_error', 'replan', false, 0.7),
      ],
    }),
    sampleRun('goal-c', {
      normalizedGoal: 'sum two numbers',
      planShape: 'shape-math',
      finishedAt: T0 + 1_500,
      embeddingModel: 'text-embedding-3-small',
      tasks: [
        task('sum', 'math.evaluate', 'logic', 'succeeded', { latencyMs: 1.1, cost: 0.3 }),
        task('say', 'text.template', 'logic', 'succeeded', { latencyMs: 2.2, cost: 0.1 }),
      ],
    }),
    sampleRun('goal-d', {
      normalizedGoal: 'render the report',
      planShape: 'shape-math',
      status: 'cancelled',
      finishedAt: T0 + 2_500,
      tasks: [task('sum', 'math.evaluate', 'logic', 'succeeded', { latencyMs: 3.3, cost: 0.2 }), task('say', 'text.template', 'logic', 'not_run')],
    }),
    sampleRun('goal-e', {
      normalizedGoal: 'render the report',
      planShape: 'shape-csv',
      finishedAt: T0 + 2_000,
      tasks: [
        task('read', 'fs.read', 'io', 'succeeded', { attempts: 4, latencyMs: 40.75, cost: 0.1, errorCodes: ['transient', 'timeout', 'rate_limited'] }),
        task('parse', 'csv.parse', 'logic', 'succeeded', { attempts: 2, latencyMs: 9, cost: 0.2, errorCodes: ['transient'] }),
        // The same tool offered by another worker type is another row of toolStats.
        task('parse-again', 'csv.parse', 'io', 'failed', { attempts: 1, latencyMs: 5, cost: 0.05, errorCodes: ['internal'] }),
      ],
      recoveries: [
        recovery('read', 'fs.read', 'timeout', 'retry', true, 0.3),
        recovery('read', 'fs.read', 'rate_limited', 'retry', true, 1 / 3),
        recovery('parse', 'csv.parse', 'transient', 'retry', true, 0.1),
      ],
    }),
    sampleRun('goal-f', {
      normalizedGoal: 'zeta task',
      planShape: 'shape-zeta',
      status: 'failed',
      finishedAt: T0 + 3_000,
      embeddingModel: 'text-embedding-3-small',
      tasks: [
        // Uppercase sorts before lowercase bytewise, after it in dictionary order.
        task('z', 'Zeta.tool', 'io', 'failed', { attempts: 2, latencyMs: 7, cost: 0.4, errorCodes: ['timeout', 'timeout'] }),
        task('y', 'fs.read', 'io', 'failed', { attempts: 1, latencyMs: 0, cost: 0.6, errorCodes: ['invalid_input'] }),
      ],
      recoveries: [recovery('z', 'Zeta.tool', 'timeout', 'fail_goal', false, 0)],
    }),
  ];
}

function groupBy<T>(items: readonly T[], key: (item: T) => readonly string[]): Array<[readonly string[], T[]]> {
  const groups = new Map<string, [readonly string[], T[]]>();
  for (const item of items) {
    const parts = key(item);
    const id = JSON.stringify(parts);
    const group = groups.get(id) ?? [parts, []];
    group[1].push(item);
    groups.set(id, group);
  }
  return [...groups.values()].sort(([a], [b]) => a.map((part, index) => bytewise(part, b[index]!)).find((order) => order !== 0) ?? 0);
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function expectedToolStats(runs: readonly RunMemory[]): ToolStats[] {
  const settled = runs.flatMap((run) => run.tasks).filter((outcome) => outcome.status !== 'not_run');
  return groupBy(settled, (outcome) => [outcome.tool, outcome.workerType]).map(([[tool, workerType], outcomes]) => {
    const succeeded = outcomes.filter((outcome) => outcome.status === 'succeeded');
    return {
      tool: tool!,
      workerType: workerType!,
      tasks: outcomes.length,
      succeeded: succeeded.length,
      failed: outcomes.length - succeeded.length,
      attempts: sum(outcomes.map((outcome) => outcome.attempts)),
      meanLatencyMs: succeeded.length === 0 ? 0 : sum(succeeded.map((outcome) => outcome.latencyMs)) / succeeded.length,
      meanCost: sum(outcomes.map((outcome) => outcome.cost)) / outcomes.length,
    };
  });
}

export function expectedRecoveryStats(runs: readonly RunMemory[]): RecoveryStats[] {
  const recoveries = runs.flatMap((run) => run.recoveries);
  return groupBy(recoveries, (outcome) => [outcome.failureCode, outcome.tool, outcome.strategy]).map(([[failureCode, tool, strategy], outcomes]) => ({
    failureCode: failureCode!,
    tool: tool!,
    strategy: strategy as RecoveryOutcome['strategy'],
    tries: outcomes.length,
    recovered: outcomes.filter((outcome) => outcome.recovered).length,
    meanCost: sum(outcomes.map((outcome) => outcome.cost)) / outcomes.length,
  }));
}

export function expectedPlanShapes(runs: readonly RunMemory[]): PlanShapeStats[] {
  return groupBy(runs, (run) => [run.planShape])
    .map(([[planShape], shapeRuns]) => {
      const latest = [...shapeRuns].sort((a, b) => b.finishedAt - a.finishedAt || bytewise(b.goalId, a.goalId))[0]!;
      return {
        planShape: planShape!,
        runs: shapeRuns.length,
        succeeded: shapeRuns.filter((run) => run.status === 'succeeded').length,
        failed: shapeRuns.filter((run) => run.status === 'failed').length,
        replanned: shapeRuns.filter((run) => run.recoveries.some((recovery) => recovery.strategy === 'replan')).length,
        lastGoalId: latest.goalId,
        lastGoalText: latest.goalText,
        lastFinishedAt: latest.finishedAt,
      };
    })
    .sort((a, b) => b.runs - a.runs || bytewise(a.planShape, b.planShape));
}
