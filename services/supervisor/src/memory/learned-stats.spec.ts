import { RunMemory, SqliteMemoryStore } from '@agentos/memory';
import { LearnedStats } from './learned-stats';
import { recoveryOutcome, runMemory, taskOutcome } from './testing/run-memory.builders';

/** Runs over two shapes with retried, failed, not-run and cancelled work, replans, and costs not exact in binary. */
function history(): RunMemory[] {
  return [
    runMemory('r1', {
      tasks: [
        taskOutcome('parse', 'csv.parse', 'logic', 'succeeded', { attempts: 3, cost: 0.3, errorCodes: ['transient', 'timeout'] }),
        taskOutcome('read', 'fs.read', 'io', 'succeeded', { cost: 0.1 }),
      ],
      recoveries: [recoveryOutcome('parse', 'csv.parse', 'transient', 'retry', true, { cost: 0.1 }), recoveryOutcome('parse', 'csv.parse', 'timeout', 'retry', true, { cost: 0.1 })],
    }),
    runMemory('r2', {
      status: 'failed',
      tasks: [
        taskOutcome('parse', 'csv.parse', 'logic', 'failed', { attempts: 2, cost: 0.7, errorCodes: ['transient', 'transient'] }),
        taskOutcome('report', 'text.template', 'logic', 'not_run'),
      ],
      recoveries: [recoveryOutcome('parse', 'csv.parse', 'transient', 'retry', false, { cost: 0.35 }), recoveryOutcome('parse', 'csv.parse', 'transient', 'replan', false, { cost: 1.2 })],
    }),
    runMemory('r3', {
      planShape: 'shape-b',
      tasks: [taskOutcome('parse', 'csv.parse', 'io', 'succeeded', { cost: 1 / 3 })],
      recoveries: [recoveryOutcome('parse', 'csv.parse', 'logic_error', 'replan', true, { cost: 0.9 })],
    }),
    runMemory('r4', {
      planShape: 'shape-b',
      status: 'cancelled',
      tasks: [taskOutcome('read', 'fs.read', 'io', 'succeeded', { attempts: 2, cost: 0.05, errorCodes: ['timeout'] }), taskOutcome('sum', 'math.evaluate', 'logic', 'not_run')],
      recoveries: [recoveryOutcome('read', 'fs.read', 'timeout', 'retry', true, { cost: 0.025 })],
    }),
    runMemory('r5', { tasks: [taskOutcome('parse', 'csv.parse', 'logic', 'succeeded', { cost: 0.1 })] }),
  ];
}

async function loadedFromStore(runs: readonly RunMemory[]): Promise<LearnedStats> {
  const store = new SqliteMemoryStore({ path: ':memory:' });
  try {
    await store.migrate();
    for (const run of runs) await store.recordRun(run);
    return LearnedStats.fromStore(await store.toolStats(), await store.recoveryStats(), await store.planShapes());
  } finally {
    await store.close();
  }
}

function addedOneByOne(runs: readonly RunMemory[], stats = new LearnedStats()): LearnedStats {
  for (const run of runs) stats.add(run);
  return stats;
}

/** Every key the runs mention, not-run tasks included (their evidence must be empty in both). */
function keysOf(runs: readonly RunMemory[]) {
  const unique = <T>(items: T[]): T[] => [...new Map(items.map((item) => [JSON.stringify(item), item])).values()];
  return {
    tools: unique(runs.flatMap((run) => run.tasks.map((task) => [task.tool, task.workerType] as const))),
    recoveries: unique(runs.flatMap((run) => run.recoveries.map((r) => [r.failureCode, r.tool, r.strategy] as const))),
    shapes: unique(runs.map((run) => run.planShape)),
  };
}

function expectSameEvidence(actual: LearnedStats, expected: LearnedStats, runs: readonly RunMemory[]): void {
  const keys = keysOf(runs);
  for (const [tool, workerType] of keys.tools) {
    const [a, e] = [actual.tool(tool, workerType), expected.tool(tool, workerType)];
    expect({ tool, workerType, attempts: a.attempts, successes: a.successes }).toEqual({ tool, workerType, attempts: e.attempts, successes: e.successes });
    if (e.meanAttemptCost === undefined) expect(a.meanAttemptCost).toBeUndefined();
    else expect(a.meanAttemptCost).toBeCloseTo(e.meanAttemptCost, 12);
  }
  for (const [failureCode, tool, strategy] of keys.recoveries) {
    const [a, e] = [actual.recovery(failureCode, tool, strategy), expected.recovery(failureCode, tool, strategy)];
    expect({ failureCode, tool, strategy, tries: a.tries, recovered: a.recovered }).toEqual({ failureCode, tool, strategy, tries: e.tries, recovered: e.recovered });
    expect(a.meanCost).toBeCloseTo(e.meanCost!, 12);
  }
  for (const shape of keys.shapes) expect(actual.shape(shape)).toEqual(expected.shape(shape));
  const byShape = (a: { planShape: string }, b: { planShape: string }) => a.planShape.localeCompare(b.planShape);
  expect(actual.failingShapes().sort(byShape)).toEqual(expected.failingShapes().sort(byShape));
}

describe('LearnedStats', () => {
  describe('loading the store’s aggregates agrees with adding the same runs one by one', () => {
    it('for tool, recovery and plan-shape evidence', async () => {
      const runs = history();
      expectSameEvidence(await loadedFromStore(runs), addedOneByOne(runs), runs);
    });

    it('when some runs are loaded at start and the rest added as they finish', async () => {
      const runs = history();
      const resumed = addedOneByOne(runs.slice(3), await loadedFromStore(runs.slice(0, 3)));
      expectSameEvidence(resumed, addedOneByOne(runs), runs);
    });

    it('and both count what the runs hold, attempt by attempt', () => {
      const runs = history();
      const stats = addedOneByOne(runs);
      for (const [tool, workerType] of keysOf(runs).tools) {
        const ran = runs.flatMap((run) => run.tasks).filter((task) => task.tool === tool && task.workerType === workerType && task.status !== 'not_run');
        const attempts = ran.reduce((sum, task) => sum + task.attempts, 0);
        const evidence = stats.tool(tool, workerType);
        expect(evidence.attempts).toBe(attempts);
        expect(evidence.successes).toBe(ran.filter((task) => task.status === 'succeeded').length);
        if (attempts > 0) expect(evidence.meanAttemptCost).toBeCloseTo(ran.reduce((sum, task) => sum + task.cost, 0) / attempts, 12);
      }
    });
  });

  it('ignores tasks that never ran', () => {
    const stats = addedOneByOne([runMemory('g', { tasks: [taskOutcome('later', 'text.template', 'logic', 'not_run'), taskOutcome('parse', 'csv.parse', 'logic', 'succeeded')] })]);
    expect(stats.tool('text.template', 'logic')).toEqual({ attempts: 0, successes: 0, meanAttemptCost: undefined });
    expect(stats.tool('csv.parse', 'logic').attempts).toBe(1);
  });

  it('counts by attempt: a task that succeeded on its third attempt is one success and two failures', () => {
    const stats = addedOneByOne([runMemory('g', { tasks: [taskOutcome('parse', 'csv.parse', 'logic', 'succeeded', { attempts: 3, cost: 0.9, errorCodes: ['timeout', 'timeout'] })] })]);
    const evidence = stats.tool('csv.parse', 'logic');
    expect(evidence.successes).toBe(1);
    expect(evidence.attempts - evidence.successes).toBe(2);
    expect(evidence.meanAttemptCost).toBeCloseTo(0.9 / 3, 12);
  });

  it('keeps evidence apart per worker type, failure code and strategy', () => {
    const stats = addedOneByOne(history());
    expect(stats.tool('csv.parse', 'io').successes).toBe(1);
    expect(stats.tool('csv.parse', 'nobody')).toEqual({ attempts: 0, successes: 0, meanAttemptCost: undefined });
    expect(stats.recovery('transient', 'csv.parse', 'reroute')).toEqual({ tries: 0, recovered: 0, meanCost: undefined });
    expect(stats.recovery('transient', 'csv.parse', 'retry')).toEqual(expect.objectContaining({ tries: 2, recovered: 1 }));
    expect(stats.shape('never-seen')).toBeUndefined();
  });

  describe('failing plan shapes', () => {
    /** `clean` runs that succeeded without a new plan, then the given troubled ones, all of one shape. */
    function shapeWith(clean: number, troubled: Array<'failed' | 'cancelled' | 'replanned-succeeded' | 'replanned-failed'>): LearnedStats {
      const runs: RunMemory[] = [];
      for (let i = 0; i < clean; i++) runs.push(runMemory(`clean-${i}`, { planShape: 'shape-a' }));
      troubled.forEach((kind, i) => {
        const replanned = kind.startsWith('replanned');
        runs.push(
          runMemory(`troubled-${i}`, {
            planShape: 'shape-a',
            status: kind === 'cancelled' ? 'cancelled' : kind.endsWith('failed') ? 'failed' : 'succeeded',
            recoveries: replanned ? [recoveryOutcome('parse', 'csv.parse', 'logic_error', 'replan', kind === 'replanned-succeeded', { cost: 1 })] : [],
          }),
        );
      });
      return addedOneByOne(runs);
    }

    it('does not flag a shape whose every run went through cleanly', () => {
      expect(shapeWith(3, []).failingShapes()).toEqual([]);
    });

    it('flags a shape at under 80% clean runs, not at exactly that share', () => {
      // 4 of 5 and 8 of 10 are exactly the threshold; one more troubled run falls under it.
      expect(shapeWith(4, ['failed']).failingShapes()).toEqual([]);
      expect(shapeWith(8, ['failed', 'cancelled']).failingShapes()).toEqual([]);
      expect(shapeWith(3, ['failed', 'failed']).failingShapes()).toEqual([{ planShape: 'shape-a', runs: 5, succeeded: 3, failed: 2, replanned: 0 }]);
      expect(shapeWith(7, ['failed', 'failed', 'cancelled']).failingShapes()).toHaveLength(1);
    });

    it('counts a run that succeeded only after a new plan as not clean', () => {
      expect(shapeWith(4, ['replanned-succeeded']).failingShapes()).toEqual([]);
      const flagged = shapeWith(3, ['replanned-succeeded', 'replanned-succeeded']).failingShapes();
      expect(flagged).toEqual([{ planShape: 'shape-a', runs: 5, succeeded: 5, failed: 0, replanned: 2 }]);
    });

    it('reads a replanned run cautiously as one of the succeeded ones, even when it failed', () => {
      // Four runs really went through cleanly, but the aggregates only say "replanned", not how a replanned run ended.
      expect(shapeWith(4, ['replanned-failed']).failingShapes()).toEqual([{ planShape: 'shape-a', runs: 5, succeeded: 4, failed: 1, replanned: 1 }]);
    });

    it('flags a shape whose runs were all replanned and failed', () => {
      expect(shapeWith(0, ['replanned-failed', 'replanned-failed']).failingShapes()).toHaveLength(1);
    });

    it('lists only the failing shapes among several', () => {
      const stats = addedOneByOne([
        runMemory('good-1', { planShape: 'good' }),
        runMemory('good-2', { planShape: 'good' }),
        runMemory('bad-1', { planShape: 'bad', status: 'failed' }),
        runMemory('bad-2', { planShape: 'bad' }),
      ]);
      expect(stats.failingShapes().map((shape) => shape.planShape)).toEqual(['bad']);
    });
  });
});
