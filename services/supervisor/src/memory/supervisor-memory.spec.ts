import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { GoalMessage, newEnvelope, TaskGraph } from '@agentos/contracts';
import { LocalHashEmbedder, planShape, RunMemory, SqliteMemoryStore } from '@agentos/memory';
import { PlanValidator } from '../planning/plan-validator';
import { Run, RunStatus } from '../runs/run';
import { TaskStatus } from '../runs/task-status';
import { PlanAdvice } from './plan-advisor';
import { SupervisorMemory } from './supervisor-memory';
import { SupervisorMemoryConfig } from './supervisor-memory.config';
import { goalRun, planOutcomes } from './testing/run-memory.builders';

const embedder = new LocalHashEmbedder();
const config = (extra: Partial<SupervisorMemoryConfig> = {}): SupervisorMemoryConfig => ({ ...new SupervisorMemoryConfig(), SUPERVISOR_MEMORY_SEED: 42, ...extra });

function ordersPlan(path: string, threshold: number): TaskGraph {
  return {
    tasks: [
      { id: 'read', workerType: 'io', tool: 'fs.read', input: { path } },
      { id: 'total', workerType: 'logic', tool: 'math.evaluate', input: { rows: { $ref: 'read.rows' }, above: threshold } },
    ],
    outputs: ['total'],
  };
}

const ORDERS_7 = 'Total orders in data/orders-7.csv above 250';
const SIMILAR_QUERY = 'Total all orders in data/orders-4.csv above 130';

/** A goal run to its end the way RunDriver runs it: a trace from memory, attempts at dispatch, costs per result. */
function runToEnd(memory: SupervisorMemory, goalId: string, text: string, graph: TaskGraph, status: RunStatus = 'succeeded'): Run {
  const validation = new PlanValidator(undefined).validate(graph);
  if (!validation.ok) throw new Error(validation.errors[0]!.message);
  const goal: GoalMessage = { ...newEnvelope('goal', { goalId }), goal: text };
  const run = new Run(goal, validation.plan, 4);
  run.trace = memory.startTrace('llm', graph);
  run.plan.nodes.forEach((_node, index) => {
    run.attempts[index]++;
    run.costs[index] += 0.25;
    if (status === 'succeeded') run.complete(index, { ok: true });
    else run.taskStatus[index] = TaskStatus.Failed;
  });
  run.status = status;
  return run;
}

/** A goal recorded before this process started: every task succeeded in one attempt, at 0.5 cost units each. */
function recordedRun(goalId: string, text: string, graph: TaskGraph, extra: Partial<RunMemory> = {}): RunMemory {
  return goalRun(goalId, text, graph, embedder, { tasks: planOutcomes(graph, 'succeeded', { cost: 0.5 }), ...extra });
}

function how(advice: PlanAdvice): string {
  return advice.kind === 'reuse' ? advice.how : 'plan';
}

function exampleIds(advice: PlanAdvice): string[] {
  return advice.kind === 'plan' ? advice.examples.map((example) => example.goalId) : [];
}

let dir: string;
const toClose: SqliteMemoryStore[] = [];

function fileStore(): SqliteMemoryStore {
  const store = new SqliteMemoryStore({ path: join(dir, 'memory.sqlite') });
  toClose.push(store);
  return store;
}

async function openStore(path = ':memory:'): Promise<SqliteMemoryStore> {
  const store = path === ':memory:' ? new SqliteMemoryStore({ path }) : fileStore();
  if (path === ':memory:') toClose.push(store);
  await store.migrate();
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'supervisor-memory-'));
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  for (const store of toClose.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SupervisorMemory', () => {
  describe('open() on a store holding past goals', () => {
    async function openOverHistory() {
      const store = await openStore();
      await store.recordRun(recordedRun('g-7', ORDERS_7, ordersPlan('data/orders-7.csv', 250)));
      await store.recordRun(
        recordedRun('g-failed', 'Count the orders in data/orders-3.csv above 120', ordersPlan('data/orders-3.csv', 120), {
          status: 'failed',
          tasks: [{ taskId: 'read', tool: 'fs.read', workerType: 'io', status: 'failed', attempts: 2, latencyMs: 0, cost: 0.5, errorCodes: ['timeout', 'timeout'] }],
        }),
      );
      await store.recordRun(recordedRun('g-other-model', 'Total the orders in data/orders-3.csv that are above 120', ordersPlan('data/x.csv', 1), { embeddingModel: 'another-model' }));
      return { store, memory: await SupervisorMemory.open(store, embedder, config({ SUPERVISOR_MEMORY_PLAN_REUSE: false })) };
    }

    it('loads what was learned of tools and plan shapes', async () => {
      const { memory } = await openOverHistory();
      expect(memory.stats.tool('fs.read', 'io')).toEqual({ attempts: 4, successes: 2, meanAttemptCost: expect.closeTo(1.5 / 4, 12) });
      expect(memory.stats.shape(planShape(ordersPlan('data/x.csv', 1)))).toEqual({ runs: 3, succeeded: 2, failed: 1, replanned: 0 });
    });

    it('loads the goals embedded by its embedder’s model into the search index, succeeded ones as examples', async () => {
      const { memory } = await openOverHistory();
      expect(exampleIds(await memory.advisePlan(SIMILAR_QUERY))).toEqual(['g-7']);
    });

    it('reuses the plans of past goals', async () => {
      const store = await openStore();
      await store.recordRun(recordedRun('g-7', ORDERS_7, ordersPlan('data/orders-7.csv', 250)));
      const memory = await SupervisorMemory.open(store, embedder, config());
      expect(how(await memory.advisePlan(ORDERS_7))).toBe('exact');
      const template = await memory.advisePlan('Total orders in data/orders-9.csv above 300');
      expect(template).toEqual(expect.objectContaining({ kind: 'reuse', how: 'template', graph: ordersPlan('data/orders-9.csv', 300) }));
    });
  });

  describe('finished()', () => {
    it('makes the goal’s plan reusable and its outcome counted at once, before the store has it', async () => {
      const store = await openStore();
      const memory = await SupervisorMemory.open(store, embedder, config());
      const graph = ordersPlan('data/orders-7.csv', 250);
      memory.finished(runToEnd(memory, 'g-7', ORDERS_7, graph), { calls: 1, tokens: 500 });

      const storedYet = store.count();
      const advice = memory.advisePlan(ORDERS_7);
      expect(await storedYet).toBe(0);
      expect(await advice).toEqual(expect.objectContaining({ kind: 'reuse', how: 'exact', graph }));
      expect(memory.stats.shape(planShape(graph))).toEqual({ runs: 1, succeeded: 1, failed: 0, replanned: 0 });
      expect(memory.stats.tool('fs.read', 'io').successes).toBe(1);
    });

    it('leaves the goal in the store after flush(), embedded by the configured embedder, and searchable', async () => {
      const store = await openStore();
      const memory = await SupervisorMemory.open(store, embedder, config({ SUPERVISOR_MEMORY_PLAN_REUSE: false }));
      memory.finished(runToEnd(memory, 'g-7', ORDERS_7, ordersPlan('data/orders-7.csv', 250)), { calls: 1, tokens: 500 });
      await memory.flush();

      const stored = await store.run('g-7');
      expect(stored?.embedding).toHaveLength(embedder.dimensions);
      expect(stored?.embeddingModel).toBe(embedder.model);
      expect(stored?.status).toBe('succeeded');
      expect(memory.pendingWrites).toBe(0);
      expect(exampleIds(await memory.advisePlan(SIMILAR_QUERY))).toEqual(['g-7']);
    });

    it('counts the LLM’s tokens in the goal’s cost at the configured rate', async () => {
      const store = await openStore();
      const memory = await SupervisorMemory.open(store, embedder, config({ SUPERVISOR_MEMORY_LLM_COST_PER_1K_TOKENS: 2 }));
      const cheap = runToEnd(memory, 'no-llm', ORDERS_7, ordersPlan('data/orders-7.csv', 250));
      const planned = runToEnd(memory, 'with-llm', 'Total orders in data/orders-8.csv above 250', ordersPlan('data/orders-8.csv', 250));
      memory.finished(cheap, { calls: 0, tokens: 0 });
      memory.finished(planned, { calls: 1, tokens: 1_500 });
      await memory.flush();
      const [withoutLlm, withLlm] = [await store.run('no-llm'), await store.run('with-llm')];
      expect(withLlm!.cost - withoutLlm!.cost).toBeCloseTo((1_500 / 1_000) * 2, 12);
      expect(withLlm!.llmTokens).toBe(1_500);
    });

    it('never offers the plan of a goal that failed', async () => {
      const store = await openStore();
      const memory = await SupervisorMemory.open(store, embedder, config());
      const graph = ordersPlan('data/orders-7.csv', 250);
      memory.finished(runToEnd(memory, 'g-failed', ORDERS_7, graph, 'failed'), { calls: 1, tokens: 500 });
      expect(how(await memory.advisePlan(ORDERS_7))).toBe('plan');
      await memory.flush();
      expect((await store.run('g-failed'))?.status).toBe('failed');
      expect(memory.stats.shape(planShape(graph))?.failed).toBe(1);
      const advice = await memory.advisePlan(SIMILAR_QUERY);
      expect(advice.kind).toBe('plan');
      expect(exampleIds(advice)).toEqual([]);
    });

    it('ignores a run memory did not follow (no trace)', async () => {
      const store = await openStore();
      const memory = await SupervisorMemory.open(store, embedder, config());
      const run = runToEnd(memory, 'untraced', ORDERS_7, ordersPlan('data/orders-7.csv', 250));
      run.trace = undefined;
      memory.finished(run, { calls: 0, tokens: 0 });
      await memory.flush();
      expect(await store.count()).toBe(0);
      expect(how(await memory.advisePlan(ORDERS_7))).toBe('plan');
    });
  });

  it('follows a recovery in the goal’s trace and records how it went', async () => {
    const store = await openStore();
    const memory = await SupervisorMemory.open(store, embedder, config());
    const graph = ordersPlan('data/orders-7.csv', 250);
    const validation = new PlanValidator(undefined).validate(graph);
    if (!validation.ok) throw new Error('invalid plan');
    const run = new Run({ ...newEnvelope('goal', { goalId: 'g-retry' }), goal: ORDERS_7 }, validation.plan, 4);
    run.trace = memory.startTrace('llm', graph);

    // read fails once (a timeout), is retried, and succeeds.
    run.attempts[0]++;
    run.costs[0] += 0.2;
    const error = { code: 'timeout' as const, message: 'no result in time', retriable: true };
    const choice = memory.chooseRecovery(run, 0, { error, tool: 'fs.read', workerType: 'io', policy: 'retry', canRetry: true, canReplan: false, alternatives: [] });
    expect(choice.action).toBe('retry');
    run.recordDecision(0, { attempt: 1, error, decision: choice.action });
    run.attempts[0]++;
    run.costs[0] += 0.3;
    run.complete(0, { rows: [] });
    run.attempts[1]++;
    run.complete(1, 3);
    run.status = 'succeeded';

    memory.finished(run, { calls: 0, tokens: 0 });
    expect(memory.stats.recovery('timeout', 'fs.read', 'retry')).toEqual({ tries: 1, recovered: 1, meanCost: expect.closeTo(0.3, 12) });
    await memory.flush();
    expect(await store.recoveryStats()).toEqual([{ failureCode: 'timeout', tool: 'fs.read', strategy: 'retry', tries: 1, recovered: 1, meanCost: expect.closeTo(0.3, 12) }]);
    expect((await store.run('g-retry'))?.tasks[0]).toEqual(expect.objectContaining({ attempts: 2, errorCodes: ['timeout'] }));
  });

  describe('across a restart', () => {
    it('close() writes the goals still waiting before it closes the store', async () => {
      const memory = await SupervisorMemory.open(await openStore('file'), embedder, config());
      for (let i = 0; i < 3; i++) memory.finished(runToEnd(memory, `g-${i}`, `Total orders in data/orders-${i}.csv above 250`, ordersPlan(`data/orders-${i}.csv`, 250)), { calls: 1, tokens: 10 });
      await memory.close();

      const reopened = await openStore('file');
      expect(await reopened.count()).toBe(3);
    });

    it('what one process learned, the next one loads: statistics, plans to reuse, examples', async () => {
      const first = await SupervisorMemory.open(await openStore('file'), embedder, config());
      const graph = ordersPlan('data/orders-7.csv', 250);
      first.finished(runToEnd(first, 'g-7', ORDERS_7, graph), { calls: 1, tokens: 500 });
      first.finished(runToEnd(first, 'g-failed', 'Count the orders in data/orders-3.csv above 120', graph, 'failed'), { calls: 1, tokens: 500 });
      const learned = first.stats.shape(planShape(graph));
      const tool = first.stats.tool('fs.read', 'io');
      await first.close();

      const second = await SupervisorMemory.open(await openStore('file'), embedder, config());
      expect(second.stats.shape(planShape(graph))).toEqual(learned);
      expect(second.stats.tool('fs.read', 'io')).toEqual({ ...tool, meanAttemptCost: expect.closeTo(tool.meanAttemptCost!, 12) });
      expect(await second.advisePlan(ORDERS_7)).toEqual(expect.objectContaining({ kind: 'reuse', how: 'exact', graph }));
      expect(await second.advisePlan('Total orders in data/orders-9.csv above 300')).toEqual(
        expect.objectContaining({ kind: 'reuse', how: 'template', graph: ordersPlan('data/orders-9.csv', 300) }),
      );
      expect(exampleIds(await second.advisePlan(SIMILAR_QUERY))).toEqual(['g-7']);
      await second.close();
    });
  });

  describe('refresh()', () => {
    it('learns what another instance sharing the store recorded, and keeps its own unwritten goals', async () => {
      const path = join(dir, 'shared.sqlite');
      const [storeA, storeB] = [new SqliteMemoryStore({ path }), new SqliteMemoryStore({ path })];
      toClose.push(storeA, storeB);
      await storeA.migrate();
      const a = await SupervisorMemory.open(storeA, embedder, config({ SUPERVISOR_MEMORY_REFRESH_MS: 0 }));
      const b = await SupervisorMemory.open(storeB, embedder, config({ SUPERVISOR_MEMORY_REFRESH_MS: 0 }));
      const graph = ordersPlan('data/orders-7.csv', 250);

      a.finished(runToEnd(a, 'g-a1', ORDERS_7, graph), { calls: 0, tokens: 0 });
      a.finished(runToEnd(a, 'g-a2', 'Total orders in data/orders-8.csv above 250', ordersPlan('data/orders-8.csv', 250)), { calls: 0, tokens: 0 });
      await a.flush();
      // B's own goal, finished and not written yet when it refreshes.
      b.finished(runToEnd(b, 'g-b1', 'Total orders in data/orders-9.csv above 250', ordersPlan('data/orders-9.csv', 250)), { calls: 0, tokens: 0 });
      expect(b.stats.tool('fs.read', 'io').attempts).toBe(1);

      await b.refresh();
      expect(b.stats.tool('fs.read', 'io')).toEqual({ attempts: 3, successes: 3, meanAttemptCost: expect.closeTo(0.25, 12) });
      expect(b.stats.shape(planShape(graph))?.runs).toBe(3);
      await b.flush();
      await b.refresh();
      // Written since: counted once, from the store.
      expect(b.stats.tool('fs.read', 'io').attempts).toBe(3);
      await Promise.all([a.close(), b.close()]);
    });
  });
});
