import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY_GOAL, ControlMessage, GoalEventMessage, GoalMessage, JsonObject, newEnvelope, ResultMessage, RunRecordMessage, TaskGraph } from '@agentos/contracts';
import { startBusService } from '@agentos/runtime';
import { noopTasks, reply, sampleGoal, ScriptedLlmServer, uniqueName, waitFor } from '@agentos/test-kit';
import { workerLogicService } from '@agentos/worker-logic';
import { EmbeddedRuntime, startEmbeddedRuntime } from './embedded-runtime';
import { loadGoalFile } from './goal-file';
import { runGoal } from './run-goal';

const REPO = join(__dirname, '..', '..', '..');

describe('the embedded runtime: supervisor and real workers on the in-process bus', () => {
  let runtime: EmbeddedRuntime | undefined;
  let root: string;

  const start = async (env: Record<string, string> = {}, services?: Parameters<typeof startEmbeddedRuntime>[1]) => {
    runtime = await startEmbeddedRuntime(
      { IO_FS_ROOT: root, MEMORY_DATA_DIR: join(root, 'memory'), SUPERVISOR_RETRY_BASE_MS: '10', SUPERVISOR_RETRY_MAX_MS: '20', SUPERVISOR_DEADLINE_GRACE_MS: '50', ...env },
      services,
    );
    return runtime;
  };

  const run = async (goal: GoalMessage): Promise<{ terminal: GoalEventMessage; events: GoalEventMessage[] }> => {
    const events: GoalEventMessage[] = [];
    const terminal = await runGoal(runtime!.bus, runtime!.topics, goal, (event) => events.push(event));
    return { terminal, events };
  };

  const goalWith = (plan: TaskGraph, extra: Partial<GoalMessage> = {}) => sampleGoal(uniqueName('goal'), plan, extra);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'agentos-embedded-'));
    mkdirSync(join(root, 'data'));
    copyFileSync(join(REPO, 'examples', 'data', 'sales.csv'), join(root, 'data', 'sales.csv'));
  });

  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it('journals the run when the runs journal is on: a snapshot, every task output in progress records, the finished status', async () => {
    await start({ SUPERVISOR_RUN_JOURNAL: 'on', SUPERVISOR_INSTANCE_ID: 'embedded-1' });
    const records: RunRecordMessage[] = [];
    await runtime!.bus.subscribe({ topics: [runtime!.topics.runs()], groupId: uniqueName('journal-reader'), maxInFlight: 1 }, async ({ message }) => {
      records.push(message as RunRecordMessage);
    });
    const goal = await loadGoalFile(join(REPO, 'examples', 'goals', 'sales-report.json'));
    const { terminal } = await run(goal);
    expect(terminal.type).toBe('goal.succeeded');

    await waitFor(() => records.some((record) => record.record === 'finished'), { timeoutMs: 5_000, description: 'the finished record' });
    const ofGoal = records.filter((record) => record.goalId === goal.goalId);
    expect(ofGoal[0]).toMatchObject({ record: 'snapshot', writer: 'embedded-1', goal: { goalId: goal.goalId } });
    expect(ofGoal.at(-1)).toMatchObject({ record: 'finished', status: 'succeeded' });
    const succeeded = ofGoal.flatMap((record) => (record.record === 'progress' ? record.tasks.filter((task) => task.state === 'succeeded') : []));
    expect(succeeded.map((task) => task.taskId).sort()).toEqual(goal.plan!.tasks.map((task) => task.id).sort());
    const outputs = terminal.data!.outputs as JsonObject;
    expect(succeeded.find((task) => task.taskId === 'write')!.output).toEqual(outputs.write);
  });

  it('runs the bundled example goal: fan-out, fan-in, both worker types, the report written', async () => {
    await start();
    const { terminal, events } = await run(await loadGoalFile(join(REPO, 'examples', 'goals', 'sales-report.json')));

    expect(terminal.type).toBe('goal.succeeded');
    const outputs = terminal.data!.outputs as JsonObject;
    expect((outputs.write as JsonObject).applied).toBe(true);
    expect(readFileSync(join(root, 'out', 'sales-report.md'), 'utf8')).toMatch(/^# Sales report/);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['goal.accepted', 'goal.planned']);
    expect(types.filter((type) => type === 'task.succeeded')).toHaveLength(8);
    const order = events.filter((event) => event.type === 'task.succeeded').map((event) => event.taskId);
    expect(order.indexOf('render')).toBeGreaterThan(order.indexOf('by-region'));
    expect(order.indexOf('render')).toBeGreaterThan(order.indexOf('average-order'));
    expect(order.at(-1)).toBe('write');
  });

  it('rejects an invalid plan with every reason, and runs nothing', async () => {
    await start({ SUPERVISOR_CAPABILITY_WAIT_MS: '50' });
    const { terminal, events } = await run(
      goalWith({
        tasks: [
          { id: 'a', workerType: 'logic', tool: 'noop', dependsOn: ['b'] },
          { id: 'b', workerType: 'logic', tool: 'noop', input: { x: { $ref: 'a' } } },
          { id: 'c', workerType: 'logic', tool: 'fs.read' },
          { id: 'd', workerType: 'gpu', tool: 'noop' },
        ],
      }),
    );
    expect(terminal.type).toBe('goal.rejected');
    const codes = (terminal.data!.errors as JsonObject[]).map((error) => error.code);
    expect(codes).toEqual(['unknown_tool', 'unknown_worker_type']);
    expect(events.some((event) => event.type === 'task.dispatched')).toBe(false);

    const cyclic = await run(goalWith({ tasks: [{ id: 'a', workerType: 'logic', tool: 'noop', dependsOn: ['b'] }, { id: 'b', workerType: 'logic', tool: 'noop', input: { x: { $ref: 'a' } } }] }));
    expect(cyclic.terminal.type).toBe('goal.rejected');
    expect(cyclic.terminal.data!.errors).toEqual([expect.objectContaining({ code: 'cycle', message: expect.stringMatching(/a -> b -> a|b -> a -> b/) })]);
  });

  it('rejects a goal without a plan, saying how to plan it', async () => {
    await start();
    const { terminal } = await run(goalWith(undefined as unknown as TaskGraph));
    expect(terminal.type).toBe('goal.rejected');
    expect(String(terminal.data!.reason)).toContain('explicit "plan"');
  });

  it('retries a timed-out task with backoff, then fails the goal with a report of every attempt', async () => {
    await start();
    const { terminal, events } = await run(
      goalWith({ tasks: [{ id: 'slow', workerType: 'io', tool: 'noop', input: { delayMs: 5_000 }, timeoutMs: 50, maxAttempts: 3 }] }),
    );
    expect(terminal.type).toBe('goal.failed');
    const failures = events.filter((event) => event.type === 'task.failed');
    expect(failures.map((event) => [event.attempt, (event.data!.error as JsonObject).code, event.data!.decision])).toEqual([
      [1, 'timeout', 'retry'],
      [2, 'timeout', 'retry'],
      [3, 'timeout', 'fail_goal'],
    ]);
    expect(events.filter((event) => event.type === 'task.retry_scheduled').map((event) => event.attempt)).toEqual([2, 3]);
    const report = terminal.data!;
    expect(report.failedTask).toBe('slow');
    expect(String(report.reason)).toContain('3 of 3 attempts');
    expect(((report.history as JsonObject[])[0]!.decisions as JsonObject[]).map((decision) => decision.attempt)).toEqual([1, 2, 3]);
  });

  it('times a task out itself when no result ever arrives (a logic worker announced itself, then died)', async () => {
    await start({}, ['supervisor', 'io']);
    const ghost = { ...newEnvelope('capabilities', { goalId: ANY_GOAL }), workerType: 'logic', workerId: 'logic-ghost', concurrency: 1, ttlMs: 60_000, tools: [{ name: 'noop', description: 'noop', sideEffects: false, inputSchema: {}, outputSchema: {} }] };
    await runtime!.bus.publish([{ topic: runtime!.topics.capabilities(), key: ghost.workerId, message: ghost }]);
    const { terminal, events } = await run(goalWith({ tasks: [{ id: 'orphan', workerType: 'logic', tool: 'noop', timeoutMs: 100, maxAttempts: 1 }] }));
    expect(terminal.type).toBe('goal.failed');
    const failure = events.find((event) => event.type === 'task.failed')!;
    expect(failure.data!.error).toMatchObject({ code: 'timeout', message: expect.stringContaining('no result from worker type "logic"') });
  });

  it('runs a goal that arrived before its worker type announced itself, once it does', async () => {
    await start({ SUPERVISOR_CAPABILITY_WAIT_MS: '10000' }, ['supervisor', 'io']);
    const finished = run(goalWith(noopTasks(2, 'logic')));
    const logic = await startBusService({ ...workerLogicService(runtime!.bus, runtime!.topics, {}), logLevels: ['error'] });
    try {
      expect((await finished).terminal.type).toBe('goal.succeeded');
    } finally {
      await logic.close();
    }
  });

  it('refuses a goal whose worker type nobody offers once the wait is over, naming the live types', async () => {
    await start({ SUPERVISOR_CAPABILITY_WAIT_MS: '50' }, ['supervisor', 'io']);
    const { terminal } = await run(goalWith({ tasks: [{ id: 'orphan', workerType: 'logic', tool: 'noop' }] }));
    expect(terminal.type).toBe('goal.rejected');
    expect(terminal.data!.errors).toEqual([expect.objectContaining({ code: 'unknown_worker_type', message: expect.stringContaining('(alive: io)') })]);
  });

  it('retries a transient failure and succeeds: a real HTTP server that answers 503 once, then 200', async () => {
    let requests = 0;
    const server: Server = createServer((_request, response) => {
      requests++;
      response.writeHead(requests === 1 ? 503 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ attempt: requests }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await start({ IO_HTTP_ALLOWED_HOSTS: `127.0.0.1:${port}` });
      const { terminal, events } = await run(
        goalWith({ tasks: [{ id: 'fetch', workerType: 'io', tool: 'http.request', input: { url: `http://127.0.0.1:${port}/status` } }] }),
      );
      expect(terminal.type).toBe('goal.succeeded');
      expect((terminal.data!.outputs as JsonObject).fetch).toMatchObject({ status: 200, body: { attempt: 2 } });
      expect(events.find((event) => event.type === 'task.failed')!.data).toMatchObject({ error: { code: 'transient' }, decision: 'retry' });
      expect(requests).toBe(2);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails the goal with invalid_input when a reference names a path the upstream output lacks', async () => {
    await start();
    const { terminal } = await run(
      goalWith({
        tasks: [
          { id: 'up', workerType: 'logic', tool: 'noop', input: { echo: { a: 1 } } },
          { id: 'down', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'up.echo.missing' } } },
        ],
      }),
    );
    expect(terminal.type).toBe('goal.failed');
    expect(terminal.data!.failedTask).toBe('down');
    expect(String(terminal.data!.reason)).toContain('up.echo.missing');
  });

  it('fails a goal that outlives its deadline and cancels its running task', async () => {
    // The task would run for a minute: the runtime closes (which waits for in-flight work)
    // within the test's timeout only because the supervisor's cancel reached the worker.
    await start();
    const { terminal } = await run(goalWith(noopTasks(1, 'io', { delayMs: 60_000 }), { options: { deadlineMs: 150 } }));
    expect(terminal.type).toBe('goal.failed');
    expect(String(terminal.data!.reason)).toContain('150 ms deadline');
  });

  it('runs a goal delivered twice only once', async () => {
    await start();
    const goal = goalWith(noopTasks(3, 'logic'));
    const events: GoalEventMessage[] = [];
    const subscription = await runtime!.bus.subscribe(
      { topics: [runtime!.topics.events()], groupId: uniqueName('watch'), maxInFlight: 1 },
      async ({ message }) => void (message.kind === 'event' && message.goalId === goal.goalId && events.push(message)),
    );
    const submit = { topic: runtime!.topics.goals(), key: goal.goalId, message: goal };
    await runtime!.bus.publish([submit, submit]);
    await waitFor(() => events.some((event) => event.type === 'goal.succeeded'), { timeoutMs: 5_000 });
    await runtime!.bus.publish([submit]);
    const probe = goalWith(noopTasks(1, 'logic'));
    await run(probe);
    await subscription.close();
    expect(events.filter((event) => event.type === 'goal.accepted')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'task.dispatched')).toHaveLength(3);
  });

  it('reports latency percentiles with the result, and publishes only failure task events when asked', async () => {
    await start({ SUPERVISOR_TASK_EVENTS: 'failures' });
    const { terminal, events } = await run(goalWith(noopTasks(50, 'logic')));
    expect(terminal.type).toBe('goal.succeeded');
    const latency = (terminal.data!.stats as JsonObject).latencyMs as { p50: number; p99: number; max: number };
    expect(latency.p50).toBeGreaterThan(0);
    expect(latency.p50).toBeLessThanOrEqual(latency.p99);
    expect(latency.p99).toBeLessThanOrEqual(latency.max);
    expect(events.map((event) => event.type)).toEqual(['goal.accepted', 'goal.planned', 'goal.succeeded']);
  });

  it('ignores a forged success for an attempt that was never dispatched', async () => {
    await start();
    const goal = goalWith(noopTasks(1, 'io', { delayMs: 300, echo: 'real' }));
    const events: GoalEventMessage[] = [];
    const subscription = await runtime!.bus.subscribe(
      { topics: [runtime!.topics.events()], groupId: uniqueName('watch'), maxInFlight: 1 },
      async ({ message }) => void (message.kind === 'event' && message.goalId === goal.goalId && events.push(message)),
    );
    await runtime!.bus.publish([{ topic: runtime!.topics.goals(), key: goal.goalId, message: goal }]);
    await waitFor(() => events.some((event) => event.type === 'task.dispatched'), { timeoutMs: 5_000 });
    const at = new Date().toISOString();
    const forged: ResultMessage = {
      ...newEnvelope('result', goal),
      taskId: 't0',
      attempt: 57,
      workerType: 'io',
      workerId: 'impostor',
      status: 'succeeded',
      output: { echo: 'forged' },
      timings: { receivedAt: at, startedAt: at, finishedAt: at, runMs: 0 },
    };
    await runtime!.bus.publish([{ topic: runtime!.topics.results(), key: goal.goalId, message: forged }]);
    await waitFor(() => events.some((event) => event.type === 'goal.succeeded'), { timeoutMs: 5_000 });
    await subscription.close();
    expect(events.find((event) => event.type === 'goal.succeeded')!.data!.outputs).toEqual({ t0: { echo: 'real' } });
  });

  it('keeps a goal within its concurrency limit', async () => {
    await start();
    const { terminal, events } = await run(goalWith(noopTasks(12, 'io', { delayMs: 30 }), { options: { maxConcurrency: 3 } }));
    expect(terminal.type).toBe('goal.succeeded');
    let inFlight = 0;
    let peak = 0;
    for (const event of events) {
      if (event.type === 'task.dispatched') peak = Math.max(peak, ++inFlight);
      if (event.type === 'task.succeeded') inFlight--;
    }
    expect(peak).toBe(3);
  });

  describe('control signals and budgets', () => {
    const control = (goalId: string, signal: ControlMessage['signal'], target: ControlMessage['target'], value?: number) =>
      runtime!.bus.publish([
        {
          topic: runtime!.topics.control(),
          key: goalId,
          message: { ...newEnvelope('control', { goalId }), signal, target, ...(value !== undefined ? { value } : {}), reason: 'test operator' },
        },
      ]);

    /** Submits a goal and collects its events as they come. */
    const follow = async (goal: GoalMessage) => {
      const events: GoalEventMessage[] = [];
      const subscription = await runtime!.bus.subscribe(
        { topics: [runtime!.topics.events()], groupId: uniqueName('follow'), maxInFlight: 1 },
        async ({ message }) => void (message.kind === 'event' && message.goalId === goal.goalId && events.push(message)),
      );
      await runtime!.bus.publish([{ topic: runtime!.topics.goals(), key: goal.goalId, message: goal }]);
      const count = (type: string) => events.filter((event) => event.type === type).length;
      return { events, count, close: () => subscription.close() };
    };

    it('cancels a running goal: it ends as cancelled and its running tasks stop', async () => {
      await start();
      const goal = goalWith(noopTasks(6, 'io', { delayMs: 60_000 }), { options: { maxConcurrency: 2 } });
      const watch = await follow(goal);
      await waitFor(() => watch.count('task.dispatched') === 2, { timeoutMs: 5_000 });
      await control(goal.goalId, 'cancel', { goalId: goal.goalId });
      await waitFor(() => watch.count('goal.cancelled') === 1, { timeoutMs: 5_000 });
      expect(watch.events.at(-1)!.data).toMatchObject({ reason: 'test operator' });
      await watch.close();
      // Closing waits for in-flight tasks: it returns within the test only because they were cancelled.
    });

    it("gives a cancelled goal's pool slots back: the next goal of that worker type runs", async () => {
      await start({ SUPERVISOR_POOL_CONCURRENCY: '1' });
      const stuck = goalWith(noopTasks(1, 'io', { delayMs: 60_000 }));
      const watch = await follow(stuck);
      await waitFor(() => watch.count('task.dispatched') === 1, { timeoutMs: 5_000 });
      await control(stuck.goalId, 'cancel', { goalId: stuck.goalId });
      await waitFor(() => watch.count('goal.cancelled') === 1, { timeoutMs: 5_000 });
      await watch.close();

      const { terminal } = await run(goalWith(noopTasks(2, 'io', { delayMs: 5 })));
      expect(terminal.type).toBe('goal.succeeded');
    });

    it('pauses a goal (nothing new is dispatched) and resumes it to completion', async () => {
      await start();
      const goal = goalWith(noopTasks(4, 'logic', { delayMs: 50 }), { options: { maxConcurrency: 1 } });
      const watch = await follow(goal);
      await waitFor(() => watch.count('task.dispatched') === 1, { timeoutMs: 5_000 });
      await control(goal.goalId, 'pause', { goalId: goal.goalId });
      await waitFor(() => watch.count('goal.paused') === 1 && watch.count('task.succeeded') === 1, { timeoutMs: 5_000 });
      // The running task's result arrived while paused: had the goal not been paused, its
      // successor would have been dispatched in the same step as that result.
      expect(watch.count('task.dispatched')).toBe(1);

      await control(goal.goalId, 'resume', { goalId: goal.goalId });
      await waitFor(() => watch.count('goal.succeeded') === 1, { timeoutMs: 5_000 });
      expect(watch.count('goal.resumed')).toBe(1);
      expect(watch.count('task.dispatched')).toBe(4);
      await watch.close();
    });

    it('raises a worker type’s dispatch limit at run time, and waiting tasks go out', async () => {
      await start({ SUPERVISOR_POOL_CONCURRENCY: '1' });
      const goal = goalWith(noopTasks(5, 'io', { delayMs: 60_000 }));
      const watch = await follow(goal);
      await waitFor(() => watch.count('task.dispatched') === 1, { timeoutMs: 5_000 });
      await control('*', 'set_concurrency', { workerType: 'io' }, 3);
      await waitFor(() => watch.count('task.dispatched') === 3, { timeoutMs: 5_000 });
      await control(goal.goalId, 'cancel', { goalId: goal.goalId });
      await waitFor(() => watch.count('goal.cancelled') === 1, { timeoutMs: 5_000 });
      await watch.close();
    });

    it('fails a goal that would exceed its task budget, saying so', async () => {
      await start();
      const { terminal, events } = await run(goalWith(noopTasks(3, 'logic', { delayMs: 20 }), { options: { budget: { maxTasks: 2 } } }));
      expect(terminal.type).toBe('goal.failed');
      expect(String(terminal.data!.reason)).toBe('goal exceeded its budget of 2 task dispatches');
      expect(events.filter((event) => event.type === 'task.dispatched')).toHaveLength(2);
    });
  });

  describe('adaptive pool concurrency (AIMD) on rate limits', () => {
    it('halves what a worker type has in flight on a rate limit, then grows it back one step per window of successes', async () => {
      await start({ SUPERVISOR_POOL_CONCURRENCY: '8', WORKER_FAULT_INJECTION: 'true', WORKER_CONCURRENCY: '64' });
      const plan: TaskGraph = {
        tasks: Array.from({ length: 48 }, (_, i) => ({
          id: `t${i}`,
          workerType: 'io',
          tool: 'fault.inject',
          // The first wave of 8 is rate limited once; every task works for a while, so slots stay busy.
          input: { delayMs: 15, ...(i < 8 ? { fail: { code: 'rate_limited', attempts: [1], retryAfterMs: 20 } } : {}) },
        })),
      };
      const { terminal, events } = await run(goalWith(plan));
      expect(terminal.type).toBe('goal.succeeded');

      // In flight as the supervisor counts it: its events are published in the order it decides.
      let inFlight = 0;
      const timeline: Array<{ type: string; inFlight: number }> = [];
      for (const event of events) {
        if (event.type === 'task.dispatched') inFlight++;
        if (event.type === 'task.succeeded' || event.type === 'task.failed') inFlight--;
        timeline.push({ type: event.type, inFlight });
      }
      const firstFailure = timeline.findIndex((step) => step.type === 'task.failed');
      const peakBefore = Math.max(...timeline.slice(0, firstFailure).map((step) => step.inFlight));
      const decreases = events.filter((event) => event.type === 'task.failed' && event.data!.poolLimit !== undefined);
      expect(peakBefore).toBe(8);
      // One congestion episode: the 8 signals of the first wave halve the limit once.
      expect(decreases.map((event) => event.data!.poolLimit)).toEqual([4]);
      // Lowering the limit does not stop tasks in flight; it stops new ones until fewer than 4 run.
      const dispatchLevels = timeline.slice(firstFailure + 1).filter((step) => step.type === 'task.dispatched').map((step) => step.inFlight);
      expect(dispatchLevels[0]).toBeLessThanOrEqual(4);
      expect(dispatchLevels.slice(0, 4).every((level) => level <= 5)).toBe(true);
      // Additive increase brings it back to the ceiling before the goal ends.
      expect(Math.max(...dispatchLevels)).toBe(8);
    });
  });

  describe('free-text goals planned by an LLM (a scripted OpenAI-compatible server)', () => {
    let llm: ScriptedLlmServer;
    beforeEach(async () => {
      llm = await ScriptedLlmServer.start();
    });
    afterEach(() => llm.close());

    const SUM_PLAN = {
      tasks: [
        { id: 'sum', workerType: 'logic', tool: 'math.evaluate', input: { expression: '19 + 23' } },
        { id: 'say', workerType: 'logic', tool: 'text.template', input: { template: 'The answer is {{n}}', data: { n: { $ref: 'sum.value' } } } },
      ],
      outputs: ['say'],
    };

    it('plans the goal with the LLM, repairs an invalid first answer, runs it, and reports the tokens', async () => {
      llm.enqueue(reply.json({ tasks: [{ id: 'sum', workerType: 'logic', tool: 'abacus' }] }), reply.json(SUM_PLAN));
      await start({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'planner-model' });
      const { terminal, events } = await run({ ...newEnvelope('goal', { goalId: uniqueName('free') }), goal: 'What is 19 + 23? Say it in a sentence.' });

      expect(terminal.type).toBe('goal.succeeded');
      expect(terminal.data!.outputs).toEqual({ say: { text: 'The answer is 42' } });
      expect(events.find((event) => event.type === 'goal.planned')!.data).toMatchObject({ source: 'llm', rounds: 2, tokens: 36, tasks: 2 });
      // The planner offered what the live workers announced, with their tools' input schemas.
      const offered = JSON.stringify(llm.requests[0]!.body.messages);
      expect(offered).toContain('math.evaluate');
      expect(offered).toContain('inputSchema');
      expect(JSON.stringify(llm.requests[1]!.body.messages)).toContain('unknown_tool');
    });

    it('replans after a logic error: finished outputs are kept, the replacement is spliced in and completes', async () => {
      llm.enqueue(
        reply.json({
          tasks: [
            { id: 'b2', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'a.echo' } } },
            { id: 'c2', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'b2.echo' } } },
          ],
          outputs: ['c2'],
        }),
      );
      await start({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'planner-model', WORKER_FAULT_INJECTION: 'true' });
      const { terminal, events } = await run(
        goalWith({
          tasks: [
            { id: 'a', workerType: 'logic', tool: 'noop', input: { echo: { x: 1 } } },
            { id: 'b', workerType: 'logic', tool: 'fault.inject', input: { fail: { code: 'logic_error', message: 'the data is not what b expects' }, output: { $ref: 'a.echo' } } },
            { id: 'c', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'b.output' } } },
          ],
          outputs: ['c'],
        }),
      );

      expect(terminal.type).toBe('goal.succeeded');
      expect(terminal.data!.outputs).toEqual({ c2: { echo: { x: 1 } } });
      const replanned = events.find((event) => event.type === 'goal.replanned')!;
      expect(replanned.data).toMatchObject({ failedTask: 'b', kept: ['a'], added: 2, replan: 1, error: { code: 'logic_error' } });
      expect(events.filter((event) => event.type === 'task.dispatched').map((event) => event.taskId)).toEqual(['a', 'b', 'b2', 'c2']);
      // The model saw the goal, the finished task with its output, and the failure, as data.
      const prompt = JSON.stringify(llm.requests[0]!.body.messages);
      expect(prompt).toContain('finished_tasks');
      expect(prompt).toContain('the data is not what b expects');
    });

    it('fails the goal when the replacement plans stay invalid, saying why', async () => {
      const reusesAnId = { tasks: [{ id: 'b', workerType: 'logic', tool: 'noop' }] };
      llm.enqueue(reply.json(reusesAnId), reply.json(reusesAnId), reply.json(reusesAnId));
      await start({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'planner-model', WORKER_FAULT_INJECTION: 'true' });
      const { terminal } = await run(goalWith({ tasks: [{ id: 'b', workerType: 'logic', tool: 'fault.inject', input: { fail: { code: 'invalid_input' } } }] }));
      expect(terminal.type).toBe('goal.failed');
      expect(String(terminal.data!.reason)).toContain('the planner produced no valid plan in 3 rounds');
      expect(String(terminal.data!.reason)).toContain('task ids already used by the current plan: b');
    });

    it('adds the LLM’s summary to the result when asked, and keeps the result when the summary fails', async () => {
      llm.enqueue(reply.json({ summary: 'Three tasks ran; nothing went wrong.' }), reply.text('no JSON here'));
      await start({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'summary-model', LLM_MAX_RETRIES: '0', SUPERVISOR_SUMMARIZE: 'true' });
      const first = await run(goalWith(noopTasks(3, 'logic', { echo: 'ok' })));
      expect(first.terminal.type).toBe('goal.succeeded');
      expect(first.terminal.data).toMatchObject({ summary: 'Three tasks ran; nothing went wrong.', outputs: { t0: { echo: 'ok' } } });
      const [, user] = llm.requests[0]!.body.messages as Array<{ content: string }>;
      expect(user!.content).toMatch(/<<<DATA \w+>>>\n\{"t0":\{"echo":"ok"\}/);

      const second = await run(goalWith(noopTasks(1, 'logic')));
      expect(second.terminal.type).toBe('goal.succeeded');
      expect(second.terminal.data!.summaryError).toEqual(expect.any(String));
      expect(second.terminal.data!.summary).toBeUndefined();
    });

    it('keeps an operator’s pause and resume apart from its own hold while it summarises', async () => {
      // The summary request hangs until the client's timeout: the goal is held in between.
      llm.enqueue(reply.hang());
      await start({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'summary-model', LLM_MAX_RETRIES: '0', LLM_TIMEOUT_MS: '3000', SUPERVISOR_SUMMARIZE: 'true' });
      const goal = goalWith(noopTasks(1, 'logic'));
      const events: GoalEventMessage[] = [];
      const subscription = await runtime!.bus.subscribe(
        { topics: [runtime!.topics.events()], groupId: uniqueName('watch'), maxInFlight: 1 },
        async ({ message }) => void (message.kind === 'event' && message.goalId === goal.goalId && events.push(message)),
      );
      const signal = (kind: 'pause' | 'resume') =>
        runtime!.bus.publish([
          { topic: runtime!.topics.control(), key: goal.goalId, message: { ...newEnvelope('control', goal), signal: kind, target: { goalId: goal.goalId } } },
        ]);
      await runtime!.bus.publish([{ topic: runtime!.topics.goals(), key: goal.goalId, message: goal }]);
      await waitFor(() => llm.requests.length === 1, { timeoutMs: 5_000, description: 'the summary request' });

      await signal('pause');
      await waitFor(() => events.some((event) => event.type === 'goal.paused'), { timeoutMs: 5_000 });
      await signal('resume');
      await waitFor(() => events.some((event) => event.type === 'goal.succeeded'), { timeoutMs: 10_000 });
      await subscription.close();

      expect(events.some((event) => event.type === 'goal.resumed')).toBe(true);
      // Resuming did not start a second summary: the supervisor's own hold was still on.
      expect(llm.requests).toHaveLength(1);
      expect(events.find((event) => event.type === 'goal.succeeded')!.data!.summaryError).toEqual(expect.any(String));
    });

    it('refuses a free-text goal whose planning spends more tokens than its budget', async () => {
      llm.enqueue(reply.json(SUM_PLAN));
      await start({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'planner-model' });
      const { terminal } = await run({
        ...newEnvelope('goal', { goalId: uniqueName('free') }),
        goal: 'What is 19 + 23?',
        options: { budget: { maxTokens: 10 } },
      });
      expect(terminal.type).toBe('goal.rejected');
      expect(terminal.data!.reason).toBe("planning used 18 LLM tokens, over the goal's budget of 10");
    });
  });
});
