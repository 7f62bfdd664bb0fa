import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { GoalEventMessage, JsonObject } from '@agentos/contracts';
import { createMemoryStore, isFailingShape } from '@agentos/memory';
import { learningWorld, SimGoalRun, SimPlannerServer, SimRuntime, SimWorld, uniqueName } from '@agentos/test-kit';
import { supervisorService } from '../supervisor.app';

/**
 * The supervisor's decisions change with experience: the real supervisor on the in-process bus,
 * simulated workers, a simulated planning model behind a real HTTP server, and memory in a real
 * SQLite file or the PostgreSQL on localhost.
 */
const TIMEOUT_MS = 10_000;
const POSTGRES_URL = process.env.MEMORY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const decisions = (run: SimGoalRun, kind: string): JsonObject[] =>
  run.events.filter((event: GoalEventMessage) => event.type === 'memory.decision' && event.data?.decision === kind).map((event) => event.data!);

describe('supervisor memory: decisions that change with experience', () => {
  let planner: SimPlannerServer;
  let dataDir: string;
  const runtimes: SimRuntime[] = [];

  const start = async (env: Record<string, string> = {}, world: SimWorld = learningWorld(7)): Promise<SimRuntime> => {
    const runtime = await SimRuntime.start(world, supervisorService, {
      AGENTOS_TRANSPORT: 'in-process',
      LLM_BASE_URL: planner.baseUrl,
      LLM_MODEL: 'sim-planner',
      LLM_API_KEY: 'sim-key',
      LLM_MAX_RETRIES: '0',
      SUPERVISOR_TASK_TIMEOUT_MS: String(TIMEOUT_MS),
      SUPERVISOR_DEADLINE_GRACE_MS: '200',
      SUPERVISOR_RETRY_BASE_MS: '2',
      SUPERVISOR_RETRY_MAX_MS: '10',
      SUPERVISOR_MEMORY_SEED: '11',
      MEMORY_DATA_DIR: dataDir,
      ...env,
    });
    runtimes.push(runtime);
    return runtime;
  };

  const stop = async (runtime: SimRuntime): Promise<void> => {
    runtimes.splice(runtimes.indexOf(runtime), 1);
    await runtime.close();
  };

  beforeEach(async () => {
    planner = await SimPlannerServer.start({ timeoutMs: TIMEOUT_MS });
    dataDir = mkdtempSync(join(tmpdir(), 'agentos-memory-learning-'));
  });

  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
    await planner.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reuses a plan for the same goal and for a goal of the same template, without calling the planner', async () => {
    const runtime = await start();
    const first = await runtime.run('Import orders from data/orders-3.csv and report the total');
    expect(first.terminal.type).toBe('goal.succeeded');
    expect(planner.calls).toHaveLength(1);

    const again = await runtime.run('Import orders from data/orders-3.csv and report the total');
    expect(again.terminal.type).toBe('goal.succeeded');
    expect(decisions(again, 'plan_reuse')).toEqual([expect.objectContaining({ how: 'exact', fromGoalId: first.goalId, substitutions: [] })]);

    const sibling = await runtime.run('Import orders from data/orders-9.csv and report the total');
    expect(sibling.terminal.type).toBe('goal.succeeded');
    expect(decisions(sibling, 'plan_reuse')).toEqual([
      expect.objectContaining({ how: 'template', substitutions: [{ from: 'data/orders-3.csv', to: 'data/orders-9.csv' }] }),
    ]);
    expect(planner.calls).toHaveLength(1);
    // The filled plan read the new goal's data.
    const fetches = runtime.ledger.forGoals(new Set([sibling.goalId])).filter((attempt) => attempt.tool === 'fetch');
    expect(fetches.length).toBeGreaterThan(0);
    expect(sibling.events.find((event) => event.type === 'goal.planned')?.data).toMatchObject({ source: 'memory', how: 'template' });
  });

  it('shows a similar goal the plan that worked, so it needs no replan; without memory the same goal does', async () => {
    const withMemory = await start();
    const first = await withMemory.run('Audit the emea region invoices in archive/2020-invoices.dat');
    expect(first.terminal.type).toBe('goal.succeeded');
    // The model's first plan used the strict parser, which cannot read legacy data: one replan.
    expect(planner.calls.map((call) => call.kind)).toEqual(['plan', 'replan']);

    const similar = await withMemory.run('Audit the apac region invoices in archive/2021-invoices.dat');
    expect(similar.terminal.type).toBe('goal.succeeded');
    expect(decisions(similar, 'plan_examples')).toEqual([expect.objectContaining({ examples: [expect.objectContaining({ goalId: first.goalId, flagged: false })] })]);
    expect(planner.calls.slice(2).map((call) => ({ kind: call.kind, examples: call.examples }))).toEqual([{ kind: 'plan', examples: 1 }]);
    await stop(withMemory);

    // The first plan's shape is remembered as one that needed a replan: flagged to the planner from now on.
    const store = await createMemoryStore({ dataDir });
    try {
      const shapes = await store.planShapes();
      expect(shapes).toHaveLength(2);
      expect(shapes.filter(isFailingShape)).toEqual([expect.objectContaining({ runs: 1, succeeded: 1, replanned: 1, lastGoalId: first.goalId })]);
    } finally {
      await store.close();
    }

    const callsBefore = planner.calls.length;
    const withoutMemory = await start({ SUPERVISOR_MEMORY: 'off' });
    const again = await withoutMemory.run('Audit the apac region invoices in archive/2021-invoices.dat');
    expect(again.terminal.type).toBe('goal.succeeded');
    expect(planner.calls.slice(callsBefore).map((call) => call.kind)).toEqual(['plan', 'replan']);
  });

  it('moves the assignment of a tool two worker types offer to the one that fails less, as evidence accumulates', async () => {
    const runtime = await start();
    const chosen: Array<Record<string, number>> = [];
    for (let goal = 0; goal < 40; goal++) {
      const run = await runtime.run(`Import orders from data/orders-${goal + 1}.csv and report the total`);
      const assignment = decisions(run, 'assignment')[0];
      const extract = (assignment?.tools as JsonObject[] | undefined)?.find((tool) => tool.tool === 'extract');
      chosen.push((extract?.chosen as Record<string, number> | undefined) ?? {});
    }
    const preciseShare = (slice: Array<Record<string, number>>): number => slice.filter((counts) => (counts.precise ?? 0) > 0).length / slice.length;
    // Memory decided the assignment of every goal (the planner alone always names the first type, bulk).
    expect(chosen.every((counts) => Object.keys(counts).length === 1)).toBe(true);
    expect(preciseShare(chosen.slice(-20))).toBeGreaterThanOrEqual(0.9);
    expect(preciseShare(chosen.slice(-20))).toBeGreaterThan(preciseShare(chosen.slice(0, 10)));
  });

  it('starts from the policy table (retry) and moves to rerouting when retries on a failing worker type do not recover', async () => {
    const world: SimWorld = {
      seed: 3,
      workerTypes: {
        analyst: { report: { cost: 0.3 } },
        broken: { extract: { cost: 1, transientRate: 1 } },
        fetcher: { fetch: { cost: 0.5 } },
        sound: { extract: { cost: 1 } },
      },
    };
    const runtime = await start({ SUPERVISOR_MEMORY_MIN_EVIDENCE: '4', SUPERVISOR_MAX_ATTEMPTS: '3' }, world);
    // Explicit plans: the submitter put extract on the broken type; memory leaves an explicit plan's assignment alone.
    const plan = {
      tasks: [
        { id: 'fetch', workerType: 'fetcher', tool: 'fetch', input: { source: 'x' }, timeoutMs: 1_000 },
        { id: 'extract', workerType: 'broken', tool: 'extract', input: { source: 'x' }, dependsOn: ['fetch'], timeoutMs: 1_000 },
      ],
    };
    const runs: SimGoalRun[] = [];
    for (let goal = 0; goal < 12; goal++) runs.push(await runtime.run(`Extract batch ${goal}`, plan));
    const chosenRecoveries = runs.map((run) => decisions(run, 'recovery').map((decision) => decision.chosen));
    // Until memory has seen the table's strategy a few times, the table decides alone: retries, and the goal fails.
    expect(runs[0]!.terminal.type).toBe('goal.failed');
    expect(chosenRecoveries[0]).toEqual([]);
    // Then memory weighs the other strategies, tries rerouting, and keeps to it once it works.
    const rerouted = runs.filter((run) => decisions(run, 'recovery').some((decision) => decision.chosen === 'reroute' && decision.rerouteTo === 'sound'));
    expect(rerouted.length).toBeGreaterThan(0);
    for (const run of rerouted) expect(run.terminal.type).toBe('goal.succeeded');
    expect(runs.slice(-4).every((run) => run.terminal.type === 'goal.succeeded')).toBe(true);
  });

  it('keeps what it learned in PostgreSQL across a restart of the supervisor', async () => {
    const schema = uniqueName('memory_test').replace(/-/g, '_').toLowerCase();
    const env = { DATABASE_URL: POSTGRES_URL, MEMORY_DATABASE_SCHEMA: schema };
    try {
      const first = await start(env);
      expect((await first.run('Summarise support tickets for the north team from queue-4')).terminal.type).toBe('goal.succeeded');
      expect(planner.calls).toHaveLength(1);
      await stop(first);

      const restarted = await start(env);
      const again = await restarted.run('Summarise support tickets for the north team from queue-5');
      expect(again.terminal.type).toBe('goal.succeeded');
      expect(decisions(again, 'plan_reuse')).toEqual([expect.objectContaining({ how: 'template' })]);
      expect(planner.calls).toHaveLength(1);
    } finally {
      const admin = new Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  });
});
