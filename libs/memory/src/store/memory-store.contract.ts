import { MemoryStore, RunMemory, StoredEmbedding } from '../memory-records';
import { MemoryStoreError } from './memory-store-error';
import {
  aggregateFixture,
  bytewise,
  expectedPlanShapes,
  expectedRecoveryStats,
  expectedToolStats,
  recovery,
  sampleRun,
  task,
} from './memory-store.fixture';

/** Storage a test owns: a database file, a PostgreSQL schema. */
export interface MemoryStoreTarget {
  /** A new store on this target's storage, not yet migrated. Each call is another connection to the same data. */
  open(): MemoryStore;
}

export interface MemoryStoreContractOptions {
  /** What `kind` the backend reports. */
  readonly kind: string;
  /** Per-test timeout. */
  readonly timeoutMs: number;
}

/** The stored bytes of an embedding, for bit-exact comparison. */
function bits(embedding: Float32Array): Buffer {
  return Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength);
}

async function rejection(promise: Promise<unknown>): Promise<MemoryStoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MemoryStoreError);
    return error as MemoryStoreError;
  }
  throw new Error('expected a MemoryStoreError, but the call succeeded');
}

/** Means are sums of doubles divided by counts: equal to the fixture's up to rounding order. */
function expectSameStats<T extends object>(actual: readonly T[], expected: readonly T[], means: ReadonlyArray<keyof T>): void {
  const exact = (rows: readonly T[]) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !means.includes(key as keyof T))));
  expect(exact(actual)).toEqual(exact(expected));
  actual.forEach((row, index) => {
    for (const mean of means) expect(row[mean]).toBeCloseTo(expected[index]![mean] as number, 9);
  });
}

/**
 * The behaviour every `MemoryStore` must have, whatever database holds it. Run by each
 * backend's spec with a factory of fresh, empty targets.
 */
export function describeMemoryStoreContract(name: string, newTarget: () => Promise<MemoryStoreTarget>, options: MemoryStoreContractOptions): void {
  describe(`MemoryStore contract: ${name}`, () => {
    let target: MemoryStoreTarget;
    let opened: MemoryStore[];

    const open = (on: MemoryStoreTarget = target): MemoryStore => {
      const store = on.open();
      opened.push(store);
      return store;
    };
    const openMigrated = async (on: MemoryStoreTarget = target): Promise<MemoryStore> => {
      const store = open(on);
      await store.migrate();
      return store;
    };
    const recordAll = async (store: MemoryStore, runs: readonly RunMemory[]): Promise<void> => {
      for (const run of runs) await store.recordRun(run);
    };

    beforeEach(async () => {
      opened = [];
      target = await newTarget();
    }, options.timeoutMs);

    afterEach(async () => {
      await Promise.all(opened.map((store) => store.close()));
    }, options.timeoutMs);

    it(`reports its kind (${options.kind})`, () => {
      expect(open().kind).toBe(options.kind);
    });

    describe('migrate', () => {
      it(
        'creates the schema, and running it again (from this or another store) changes nothing',
        async () => {
          const store = await openMigrated();
          await store.migrate();
          expect(await store.count()).toBe(0);
          await store.recordRun(sampleRun('goal-1'));
          await store.migrate();
          const other = await openMigrated();
          expect(await other.count()).toBe(1);
          expect(await other.run('goal-1')).toEqual(sampleRun('goal-1'));
        },
        options.timeoutMs,
      );

      it(
        'lets several stores migrate one empty storage at the same time',
        async () => {
          const stores = [open(), open(), open(), open()];
          await Promise.all(stores.map((store) => store.migrate()));
          await stores[0]!.recordRun(sampleRun('goal-1'));
          for (const store of stores) expect(await store.count()).toBe(1);
        },
        options.timeoutMs,
      );

      it(
        'refuses use before migrate as a schema mismatch, not as some other failure',
        async () => {
          const error = await rejection(open().count());
          expect(error).toMatchObject({ code: 'memory_schema_mismatch', retriable: false });
          expect(error.message).toMatch(/migrate\(\)/);
        },
        options.timeoutMs,
      );
    });

    describe('ping', () => {
      it(
        'answers on an open store, migrated or not, and changes nothing',
        async () => {
          const fresh = open();
          await expect(fresh.ping()).resolves.toBeUndefined();
          const migrated = await openMigrated();
          await migrated.recordRun(sampleRun('goal-1'));
          await expect(migrated.ping()).resolves.toBeUndefined();
          expect(await migrated.count()).toBe(1);
        },
        options.timeoutMs,
      );
    });

    describe('recordRun and run', () => {
      it(
        'returns a recorded run as it was given: embedding bit for bit, plan, tasks and recoveries in order',
        async () => {
          const store = await openMigrated();
          const given = aggregateFixture()[1]!;
          await store.recordRun(given);
          const stored = await store.run(given.goalId);
          expect(stored).toEqual(given);
          expect(stored!.embedding).toBeInstanceOf(Float32Array);
          expect(bits(stored!.embedding).equals(bits(given.embedding))).toBe(true);
          expect(Object.is(stored!.embedding[0], -0)).toBe(true);
          expect(stored!.tasks.map((outcome) => outcome.taskId)).toEqual(['read', 'parse', 'report']);
          expect(stored!.recoveries.map((outcome) => outcome.strategy)).toEqual(['retry', 'replan']);
          expect(stored!.tasks[1]!.cost).toBe(1 / 3);
        },
        options.timeoutMs,
      );

      it(
        'answers undefined for a goal it never recorded',
        async () => {
          const store = await openMigrated();
          await store.recordRun(sampleRun('goal-1'));
          expect(await store.run('goal-2')).toBeUndefined();
        },
        options.timeoutMs,
      );

      it(
        'records a run without tasks or recoveries, and one with thousands',
        async () => {
          const store = await openMigrated();
          const empty = sampleRun('goal-empty', { tasks: [], recoveries: [], plan: {} });
          const tasks = Array.from({ length: 2_000 }, (_value, index) =>
            task(`t${index}`, index % 2 ? 'fs.read' : 'csv.parse', index % 2 ? 'io' : 'logic', index % 3 ? 'succeeded' : 'failed', {
              attempts: 1 + (index % 4),
              latencyMs: index / 7,
              cost: index / 1_000,
              errorCodes: index % 3 ? [] : ['transient', `code-${index}`],
            }),
          );
          const recoveries = tasks.slice(0, 500).map((outcome, index) => recovery(outcome.taskId, outcome.tool, 'transient', 'retry', index % 2 === 0, index / 3));
          const large = sampleRun('goal-large', { tasks, recoveries, embedding: new Float32Array(1_536).fill(1 / Math.sqrt(1_536)) });
          await store.recordRun(empty);
          await store.recordRun(large);
          expect(await store.run('goal-empty')).toEqual(empty);
          expect(await store.run('goal-large')).toEqual(large);
        },
        options.timeoutMs,
      );

      it(
        'keeps strings both databases can hold the same way: quotes, backslashes, emoji, right-to-left text',
        async () => {
          const store = await openMigrated();
          const text = `it's "quoted" \\ back\\slash; DROP TABLE runs; -- 😀 عربى {"$ref":"x"}`;
          const given = sampleRun('goal-text', {
            goalText: text,
            normalizedGoal: text,
            plan: { [text]: text, list: [text] },
            tasks: [task('t', 'fs.read', 'io', 'failed', { errorCodes: [text, '{', ','] })],
            recoveries: [recovery('t', 'fs.read', text, 'reroute', false, 0)],
          });
          await store.recordRun(given);
          expect(await store.run('goal-text')).toEqual(given);
          expect((await store.latestSucceededByNormalizedGoal(text))?.goalId).toBe('goal-text');
        },
        options.timeoutMs,
      );
    });

    describe('recording a goal again', () => {
      it(
        'replaces the run and all its rows',
        async () => {
          const store = await openMigrated();
          const first = aggregateFixture()[1]!;
          const second = sampleRun(first.goalId, {
            status: 'succeeded',
            embeddingModel: 'other-model',
            tasks: [task('only', 'math.evaluate', 'logic', 'succeeded', { latencyMs: 4, cost: 0.25 })],
            recoveries: [],
          });
          await store.recordRun(first);
          await store.recordRun(second);
          expect(await store.count()).toBe(1);
          expect(await store.run(first.goalId)).toEqual(second);
          expect(await store.toolStats()).toEqual(expectedToolStats([second]));
          expect(await store.recoveryStats()).toEqual([]);
          expect(await store.embeddings(first.embeddingModel)).toEqual([]);
        },
        options.timeoutMs,
      );

      it(
        'lets two stores record one goal at the same time: one of the two wins whole',
        async () => {
          const [a, b] = [await openMigrated(), await openMigrated()];
          const fixture = aggregateFixture();
          for (let round = 0; round < 5; round++) {
            const mine = { ...fixture[1]!, goalId: 'goal-raced' };
            const theirs = { ...fixture[4]!, goalId: 'goal-raced' };
            await Promise.all([a.recordRun(mine), b.recordRun(theirs)]);
            const stored = await a.run('goal-raced');
            expect([mine, theirs]).toContainEqual(stored);
          }
          expect(await b.count()).toBe(1);
        },
        options.timeoutMs,
      );
    });

    describe('validation', () => {
      const valid = sampleRun('goal-valid');
      it.each<[string, Partial<Record<keyof RunMemory, unknown>>, RegExp]>([
        ['an empty goal id', { goalId: '' }, /goalId must not be empty/],
        ['a NaN cost', { cost: Number.NaN }, /cost must be a finite number/],
        ['a negative cost', { cost: -1 }, /cost must not be negative/],
        ['a fractional timestamp', { finishedAt: 1.5 }, /finishedAt must be an integer/],
        ['an unknown status', { status: 'done' }, /status must be one of/],
        ['a plain array as embedding', { embedding: [0.6, 0.8] }, /embedding must be a Float32Array/],
        ['an empty embedding', { embedding: new Float32Array(0) }, /embedding must have 1 to/],
        ['a NaN in the embedding', { embedding: Float32Array.of(Number.NaN, 1) }, /embedding must hold finite numbers/],
        ['U+0000 in the goal text', { goalText: 'a\u0000b' }, /goalText must not contain U\+0000/],
        ['a lone surrogate in the plan', { plan: { tasks: ['\uD800'] } }, /plan\.tasks\[0\] must be well-formed Unicode/],
        ['U+0000 in a plan key', { plan: { 'a\u0000': 1 } }, /plan key .* must not contain U\+0000/],
        ['Infinity in the plan', { plan: { limit: Number.POSITIVE_INFINITY } }, /plan\.limit must be a finite number/],
        ['an array as plan', { plan: [] }, /plan must be a JSON object/],
        ['a fractional attempt count', { tasks: [task('t', 'noop', 'io', 'succeeded', { attempts: 1.5 })] }, /tasks\[0\]\.attempts must be an integer/],
        ['an unknown task status', { tasks: [{ ...task('t', 'noop', 'io', 'succeeded'), status: 'skipped' }] }, /tasks\[0\]\.status/],
        ['an unknown strategy', { recoveries: [{ ...recovery('t', 'noop', 'x', 'retry', true, 0), strategy: 'pray' }] }, /recoveries\[0\]\.strategy/],
        ['a non-boolean recovered', { recoveries: [{ ...recovery('t', 'noop', 'x', 'retry', true, 0), recovered: 1 }] }, /recovered must be a boolean/],
      ])(
        'refuses %s, writing nothing and keeping the goal as it was',
        async (_name, change, problem) => {
          const store = await openMigrated();
          await store.recordRun(valid);
          const error = await rejection(store.recordRun({ ...valid, ...change } as RunMemory));
          expect(error).toMatchObject({ code: 'memory_invalid_record', retriable: false });
          expect(error.message).toMatch(problem);
          expect(await store.count()).toBe(1);
          expect(await store.run(valid.goalId)).toEqual(valid);
        },
        options.timeoutMs,
      );
    });

    describe('latestSucceededByNormalizedGoal', () => {
      it(
        'finds the latest succeeded run of exactly that normalised goal',
        async () => {
          const store = await openMigrated();
          const fixture = aggregateFixture();
          await recordAll(store, fixture);
          // goal-b is later but failed; goal-a is older.
          expect((await store.latestSucceededByNormalizedGoal('sum two numbers'))?.goalId).toBe('goal-c');
          expect(await store.latestSucceededByNormalizedGoal('sum two numbers')).toEqual(fixture[2]);
          // goal-d is later but cancelled.
          expect((await store.latestSucceededByNormalizedGoal('render the report'))?.goalId).toBe('goal-e');
          // Only a failed run.
          expect(await store.latestSucceededByNormalizedGoal('zeta task')).toBeUndefined();
          // Exact match only: no case folding, trimming or prefixes at this level.
          for (const near of ['Sum two numbers', 'sum two numbers ', 'sum two', '']) expect(await store.latestSucceededByNormalizedGoal(near)).toBeUndefined();
        },
        options.timeoutMs,
      );

      it(
        'breaks a tie on finishedAt by the greatest goal id',
        async () => {
          const store = await openMigrated();
          for (const goalId of ['goal-m', 'goal-z', 'goal-a']) await store.recordRun(sampleRun(goalId, { normalizedGoal: 'same goal', finishedAt: 5_000 }));
          expect((await store.latestSucceededByNormalizedGoal('same goal'))?.goalId).toBe('goal-z');
        },
        options.timeoutMs,
      );
    });

    describe('latestSucceededByTemplate', () => {
      it(
        'finds the latest succeeded run of exactly that template key, whatever its normalised goal',
        async () => {
          const store = await openMigrated();
          const template = 'sum ⟨0⟩ and ⟨1⟩';
          await store.recordRun(sampleRun('goal-old', { goalTemplate: template, normalizedGoal: 'sum 1 and 2', finishedAt: 1_000 }));
          await store.recordRun(sampleRun('goal-new', { goalTemplate: template, normalizedGoal: 'sum 3 and 4', finishedAt: 2_000 }));
          await store.recordRun(sampleRun('goal-late-failure', { goalTemplate: template, status: 'failed', finishedAt: 3_000 }));
          await store.recordRun(sampleRun('goal-other', { goalTemplate: 'render ⟨0⟩', finishedAt: 4_000 }));
          const found = await store.latestSucceededByTemplate(template);
          expect(found?.goalId).toBe('goal-new');
          expect(found?.goalTemplate).toBe(template);
          expect(found?.normalizedGoal).toBe('sum 3 and 4');
          expect((await store.latestSucceededByTemplate('render ⟨0⟩'))?.goalId).toBe('goal-other');
          for (const near of ['sum ⟨0⟩ and', 'Sum ⟨0⟩ and ⟨1⟩', '']) expect(await store.latestSucceededByTemplate(near)).toBeUndefined();
        },
        options.timeoutMs,
      );
    });

    describe('embeddings', () => {
      it(
        "lists one model's embeddings bit for bit, oldest first, goal id breaking ties",
        async () => {
          const store = await openMigrated();
          const fixture = aggregateFixture();
          await recordAll(store, [...fixture].reverse());
          for (const model of ['local-hash-v1', 'text-embedding-3-small']) {
            const expected: StoredEmbedding[] = fixture
              .filter((run) => run.embeddingModel === model)
              .sort((a, b) => a.finishedAt - b.finishedAt || bytewise(a.goalId, b.goalId))
              .map((run) => ({ goalId: run.goalId, embeddingModel: model, embedding: run.embedding, status: run.status }));
            const listed = await store.embeddings(model);
            expect(listed).toEqual(expected);
            listed.forEach((entry, index) => expect(bits(entry.embedding).equals(bits(expected[index]!.embedding))).toBe(true));
          }
          expect((await store.embeddings('local-hash-v1')).map((entry) => entry.goalId)).toEqual(['goal-a', 'goal-b', 'goal-e', 'goal-d']);
          expect(await store.embeddings('never-used')).toEqual([]);
        },
        options.timeoutMs,
      );
    });

    describe('aggregates', () => {
      it(
        'are empty on an empty store',
        async () => {
          const store = await openMigrated();
          expect(await store.toolStats()).toEqual([]);
          expect(await store.recoveryStats()).toEqual([]);
          expect(await store.planShapes()).toEqual([]);
        },
        options.timeoutMs,
      );

      it(
        'toolStats: settled tasks per tool and worker type (not_run left out), ordered bytewise by tool, worker type',
        async () => {
          const store = await openMigrated();
          const fixture = aggregateFixture();
          await recordAll(store, fixture);
          const stats = await store.toolStats();
          expectSameStats(stats, expectedToolStats(fixture), ['meanLatencyMs', 'meanCost']);
          expect(stats.map((row) => `${row.tool}/${row.workerType}`)).toEqual([
            'Zeta.tool/io',
            'csv.parse/io',
            'csv.parse/logic',
            'fs.read/io',
            'math.evaluate/logic',
            'text.template/logic',
          ]);
          // text.template ran once (goal-c) and was not run twice.
          expect(stats.find((row) => row.tool === 'text.template')).toMatchObject({ tasks: 1, succeeded: 1, failed: 0 });
          // csv.parse/logic: a failure with no latency is left out of the mean latency.
          expect(stats.find((row) => row.tool === 'csv.parse' && row.workerType === 'logic')?.meanLatencyMs).toBeCloseTo((12.5 + 9) / 2, 12);
          // Only failures: mean latency 0.
          expect(stats.find((row) => row.tool === 'Zeta.tool')).toMatchObject({ succeeded: 0, meanLatencyMs: 0 });
        },
        options.timeoutMs,
      );

      it(
        'recoveryStats: tries, recoveries and mean cost per failure code, tool and strategy, in that order',
        async () => {
          const store = await openMigrated();
          const fixture = aggregateFixture();
          await recordAll(store, fixture);
          const stats = await store.recoveryStats();
          expectSameStats(stats, expectedRecoveryStats(fixture), ['meanCost']);
          expect(stats.find((row) => row.failureCode === 'timeout' && row.tool === 'fs.read')).toMatchObject({ strategy: 'retry', tries: 2, recovered: 2 });
        },
        options.timeoutMs,
      );

      it(
        'planShapes: runs per shape with the latest run, most-run shape first',
        async () => {
          const store = await openMigrated();
          const fixture = aggregateFixture();
          await recordAll(store, fixture);
          const shapes = await store.planShapes();
          expect(shapes).toEqual(expectedPlanShapes(fixture));
          // goal-b and goal-e finished at the same millisecond: the greater goal id is the latest.
          expect(shapes[0]).toMatchObject({ planShape: 'shape-csv', runs: 3, succeeded: 2, failed: 1, lastGoalId: 'goal-e' });
          // A cancelled run counts as a run, neither succeeded nor failed.
          expect(shapes[1]).toMatchObject({ planShape: 'shape-math', runs: 2, succeeded: 1, failed: 0, lastGoalId: 'goal-d' });
        },
        options.timeoutMs,
      );

      it(
        'do not depend on the order runs were recorded in, to the last bit',
        async () => {
          const fixture = aggregateFixture();
          const forward = await openMigrated();
          await recordAll(forward, fixture);
          const backward = await openMigrated(await newTarget());
          await recordAll(backward, [...fixture].reverse());
          // Re-recording moves a run's rows to the end of the table, if anything.
          await backward.recordRun(fixture[1]!);
          expect(await backward.toolStats()).toEqual(await forward.toolStats());
          expect(await backward.recoveryStats()).toEqual(await forward.recoveryStats());
          expect(await backward.planShapes()).toEqual(await forward.planShapes());
        },
        options.timeoutMs,
      );
    });

    describe('count, reopening and closing', () => {
      it(
        'counts runs, not records',
        async () => {
          const store = await openMigrated();
          const fixture = aggregateFixture();
          await recordAll(store, fixture);
          expect(await store.count()).toBe(fixture.length);
          await store.recordRun(fixture[0]!);
          expect(await store.count()).toBe(fixture.length);
        },
        options.timeoutMs,
      );

      it(
        'keeps everything for a store opened after this one closed',
        async () => {
          const first = await openMigrated();
          const fixture = aggregateFixture();
          await recordAll(first, fixture);
          const stats = await first.toolStats();
          await first.close();
          const reopened = await openMigrated();
          expect(await reopened.count()).toBe(fixture.length);
          for (const run of fixture) expect(await reopened.run(run.goalId)).toEqual(run);
          expect(await reopened.toolStats()).toEqual(stats);
        },
        options.timeoutMs,
      );

      it(
        'refuses calls once closed (memory_closed), and closing twice is harmless',
        async () => {
          const store = await openMigrated();
          await store.close();
          await store.close();
          for (const call of [() => store.count(), () => store.run('goal-1'), () => store.recordRun(sampleRun('goal-1')), () => store.toolStats(), () => store.ping()]) {
            expect(await rejection(call())).toMatchObject({ code: 'memory_closed', retriable: false });
          }
        },
        options.timeoutMs,
      );
    });
  });
}
