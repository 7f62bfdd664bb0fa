import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, MemoryStore, RecoveryOutcome, RunMemory, TaskOutcome } from '@agentos/memory';

/**
 * Finished runs for the memory-inspect tests: three plan shapes with 3, 3 and 1 runs plus one
 * only ever cancelled; a long multi-line goal text; costs exact in binary, so the expected
 * numbers in the specs are exact too. (`@agentos/memory` keeps its own fixture private.)
 */

const T0 = Date.UTC(2026, 0, 1);

export const SHAPES = { report: 'a1b2c3d4e5f60718', sum: '0f1e2d3c4b5a6978', fetch: 'c0ffee0000000001', draft: 'ffff000000000000' } as const;

export const LONG_GOAL_TEXT = 'Summarise every regional sales ledger under data/sales into one\nquarterly report with totals per region';

function outcome(taskId: string, tool: string, workerType: string, status: TaskOutcome['status'], extra: Partial<TaskOutcome> = {}): TaskOutcome {
  return { taskId, tool, workerType, status, attempts: status === 'not_run' ? 0 : 1, latencyMs: 0, cost: 0, errorCodes: [], ...extra };
}

function recovery(taskId: string, tool: string, workerType: string, failureCode: string, strategy: RecoveryOutcome['strategy'], recovered: boolean, cost: number): RecoveryOutcome {
  return { taskId, tool, workerType, failureCode, strategy, recovered, cost };
}

export function finishedRun(goalId: string, goalText: string, planShape: string, status: RunMemory['status'], finishedAfterMs: number, tasks: TaskOutcome[], recoveries: RecoveryOutcome[] = []): RunMemory {
  const normalized = goalText.toLowerCase().replace(/\s+/g, ' ');
  return {
    goalId,
    goalText,
    normalizedGoal: normalized,
    goalTemplate: normalized,
    embedding: Float32Array.from([0.6, 0.8]),
    embeddingModel: 'local-hash-v1',
    plan: { tasks: tasks.map((task) => ({ id: task.taskId, workerType: task.workerType, tool: task.tool })) },
    planShape,
    status,
    startedAt: T0,
    finishedAt: T0 + finishedAfterMs,
    llmCalls: 1,
    llmTokens: 100,
    cost: 1,
    tasks,
    recoveries,
  };
}

export function seededRuns(): RunMemory[] {
  return [
    finishedRun('g-report-1', 'Summarise sales.csv into a report', SHAPES.report, 'succeeded', 1_000, [
      outcome('read', 'fs.read', 'io', 'succeeded', { attempts: 2, latencyMs: 40, cost: 0.5, errorCodes: ['timeout'] }),
      outcome('parse', 'csv.parse', 'logic', 'succeeded', { latencyMs: 10, cost: 0.25 }),
      outcome('render', 'text.template', 'logic', 'succeeded', { latencyMs: 4, cost: 0.25 }),
    ], [recovery('read', 'fs.read', 'io', 'timeout', 'retry', true, 0.25)]),
    finishedRun('g-report-2', 'Summarise refunds.csv into a report', SHAPES.report, 'failed', 2_000, [
      outcome('read', 'fs.read', 'io', 'succeeded', { latencyMs: 20, cost: 0.5 }),
      outcome('parse', 'csv.parse', 'logic', 'failed', { attempts: 3, cost: 0.75, errorCodes: ['invalid_input', 'invalid_input', 'invalid_input'] }),
      outcome('render', 'text.template', 'logic', 'not_run'),
    ], [
      recovery('parse', 'csv.parse', 'logic', 'invalid_input', 'retry', false, 0.5),
      recovery('parse', 'csv.parse', 'logic', 'invalid_input', 'replan', false, 1),
    ]),
    finishedRun('g-report-3', LONG_GOAL_TEXT, SHAPES.report, 'succeeded', 3_000, [
      outcome('read', 'fs.read', 'io', 'succeeded', { attempts: 2, latencyMs: 30, cost: 0.5, errorCodes: ['timeout'] }),
      outcome('parse', 'csv.parse', 'logic', 'succeeded', { latencyMs: 14, cost: 0.25 }),
      outcome('render', 'text.template', 'logic', 'succeeded', { latencyMs: 6, cost: 0.25 }),
    ], [recovery('read', 'fs.read', 'io', 'timeout', 'retry', true, 0.5)]),
    finishedRun('g-sum-1', 'Add 2 and 3', SHAPES.sum, 'succeeded', 1_500, [outcome('sum', 'math.evaluate', 'logic', 'succeeded', { latencyMs: 2, cost: 0.125 })]),
    finishedRun('g-sum-2', 'Add 40 and 2', SHAPES.sum, 'succeeded', 2_500, [outcome('sum', 'math.evaluate', 'logic', 'succeeded', { latencyMs: 4, cost: 0.125 })]),
    finishedRun('g-sum-3', 'Add 1 and 1', SHAPES.sum, 'cancelled', 3_500, [outcome('sum', 'math.evaluate', 'logic', 'not_run')]),
    finishedRun('g-fetch-1', 'Fetch the exchange rates', SHAPES.fetch, 'failed', 4_000, [
      outcome('fetch', 'http.fetch', 'io', 'failed', { attempts: 2, cost: 0.5, errorCodes: ['rate_limited', 'rate_limited'] }),
    ], [recovery('fetch', 'http.fetch', 'io', 'rate_limited', 'retry', false, 0.25)]),
    finishedRun('g-draft-1', 'Draft a memo', SHAPES.draft, 'cancelled', 500, []),
  ];
}

/** An SQLite memory store in a fresh temporary folder, holding `runs`; `remove` closes it and deletes the folder. */
export async function temporarySqliteMemory(runs: readonly RunMemory[]): Promise<{ store: MemoryStore; dataDir: string; remove(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'agentos-ops-memory-'));
  const dataDir = join(root, 'data');
  const store = await createMemoryStore({ dataDir });
  for (const finished of runs) await store.recordRun(finished);
  return {
    store,
    dataDir,
    async remove() {
      await store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
