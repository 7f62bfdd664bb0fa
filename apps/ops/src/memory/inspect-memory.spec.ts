import { CLEAN_RUN_RATE_TO_TRUST } from '@agentos/memory';
import { inspectMemory } from '@agentos/memory';
import { MemoryReport } from '@agentos/memory';
import { finishedRun, LONG_GOAL_TEXT, seededRuns, SHAPES, temporarySqliteMemory } from './memory-report.fixture';

const T0 = Date.UTC(2026, 0, 1);

/** Worked out by hand from `seededRuns()`. */
const SEEDED_REPORT: MemoryReport = {
  store: 'sqlite',
  runs: 8,
  tools: [
    { tool: 'csv.parse', workerType: 'logic', tasks: 3, succeeded: 2, failed: 1, successRate: 2 / 3, attemptsPerTask: 5 / 3, meanLatencyMs: 12, meanCost: 1.25 / 3 },
    { tool: 'fs.read', workerType: 'io', tasks: 3, succeeded: 3, failed: 0, successRate: 1, attemptsPerTask: 5 / 3, meanLatencyMs: 30, meanCost: 0.5 },
    { tool: 'http.fetch', workerType: 'io', tasks: 1, succeeded: 0, failed: 1, successRate: 0, attemptsPerTask: 2, meanLatencyMs: 0, meanCost: 0.5 },
    { tool: 'math.evaluate', workerType: 'logic', tasks: 2, succeeded: 2, failed: 0, successRate: 1, attemptsPerTask: 1, meanLatencyMs: 3, meanCost: 0.125 },
    { tool: 'text.template', workerType: 'logic', tasks: 2, succeeded: 2, failed: 0, successRate: 1, attemptsPerTask: 1, meanLatencyMs: 5, meanCost: 0.25 },
  ],
  recoveries: [
    { failureCode: 'invalid_input', tool: 'csv.parse', strategy: 'replan', tries: 1, recovered: 0, recoveryRate: 0, meanCost: 1 },
    { failureCode: 'invalid_input', tool: 'csv.parse', strategy: 'retry', tries: 1, recovered: 0, recoveryRate: 0, meanCost: 0.5 },
    { failureCode: 'rate_limited', tool: 'http.fetch', strategy: 'retry', tries: 1, recovered: 0, recoveryRate: 0, meanCost: 0.25 },
    { failureCode: 'timeout', tool: 'fs.read', strategy: 'retry', tries: 2, recovered: 2, recoveryRate: 1, meanCost: 0.375 },
  ],
  plans: {
    shapes: 4,
    entries: [
      // Equal runs: by plan shape.
      { planShape: SHAPES.sum, runs: 3, succeeded: 2, failed: 0, replanned: 0, cleanRuns: 2, successRate: 1, flagged: false, lastGoalId: 'g-sum-3', lastGoalText: 'Add 1 and 1', lastFinishedAt: T0 + 3_500 },
      { planShape: SHAPES.report, runs: 3, succeeded: 2, failed: 1, replanned: 1, cleanRuns: 1, successRate: 2 / 3, flagged: true, lastGoalId: 'g-report-3', lastGoalText: LONG_GOAL_TEXT, lastFinishedAt: T0 + 3_000 },
      { planShape: SHAPES.fetch, runs: 1, succeeded: 0, failed: 1, replanned: 0, cleanRuns: 0, successRate: 0, flagged: true, lastGoalId: 'g-fetch-1', lastGoalText: 'Fetch the exchange rates', lastFinishedAt: T0 + 4_000 },
      { planShape: SHAPES.draft, runs: 1, succeeded: 0, failed: 0, replanned: 0, cleanRuns: 0, successRate: null, flagged: false, lastGoalId: 'g-draft-1', lastGoalText: 'Draft a memo', lastFinishedAt: T0 + 500 },
    ],
  },
};

describe('inspectMemory on an SQLite store', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const seed = async (runs = seededRuns()) => {
    const memory = await temporarySqliteMemory(runs);
    cleanups.push(memory.remove);
    return memory.store;
  };
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((remove) => remove()));
  });

  it('reports nothing learned on an empty store', async () => {
    expect(await inspectMemory(await seed([]))).toEqual({ store: 'sqlite', runs: 0, tools: [], recoveries: [], plans: { shapes: 0, entries: [] } });
  });

  it('reports runs, tool, recovery and plan stats, with rates worked out from the counts', async () => {
    expect(await inspectMemory(await seed())).toEqual(SEEDED_REPORT);
  });

  it('lists only the plan shapes with the most runs when given a limit, and still counts them all', async () => {
    const report = await inspectMemory(await seed(), { planLimit: 2 });
    expect(report.plans).toEqual({ shapes: 4, entries: SEEDED_REPORT.plans.entries.slice(0, 2) });
    expect(report.tools).toEqual(SEEDED_REPORT.tools);
  });

  it(`flags a plan with failures only below a ${CLEAN_RUN_RATE_TO_TRUST * 100}% success rate, cancelled runs left out of the rate`, async () => {
    const runs = (shape: string, statuses: Array<'succeeded' | 'failed' | 'cancelled'>) =>
      statuses.map((status, index) => finishedRun(`${shape}-${index}`, `goal ${index}`, shape, status, index, []));
    const store = await seed([
      // 4 of 5: at the threshold, not below it; the cancelled runs do not pull it down.
      ...runs('at-threshold', ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled', 'cancelled']),
      ...runs('below', ['succeeded', 'succeeded', 'succeeded', 'failed']),
      ...runs('no-failures', ['succeeded', 'cancelled', 'cancelled', 'cancelled']),
    ]);
    const flags = (await inspectMemory(store)).plans.entries.map(({ planShape, successRate, flagged }) => ({ planShape, successRate, flagged }));
    expect(flags).toEqual([
      { planShape: 'at-threshold', successRate: 0.8, flagged: false },
      { planShape: 'below', successRate: 0.75, flagged: true },
      { planShape: 'no-failures', successRate: 1, flagged: false },
    ]);
  });
});
