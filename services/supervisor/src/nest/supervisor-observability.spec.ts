import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestMicroservice, Module } from '@nestjs/common';
import { ControlMessage, GoalEventMessage, GoalMessage, newEnvelope, TERMINAL_GOAL_EVENTS, TopicRegistry } from '@agentos/contracts';
import { EmbeddingConfig, MemoryConfig } from '@agentos/memory';
import { AgentOsMetrics, BusModule, InProcessBus, loadConfig, ReadinessChecks, startBusService } from '@agentos/runtime';
import { sampleGoal, uniqueName, waitFor } from '@agentos/test-kit';
import { WorkerModule, workerSubscriptions } from '@agentos/worker-kit';
import { Registry } from 'prom-client';
import { SupervisorConfig } from '../config/supervisor.config';
import { SupervisorMemoryConfig } from '../memory/supervisor-memory.config';
import { supervisorSubscriptions, SupervisorModule } from './supervisor.module';

@Module({})
class SupervisorUnderTest {}

@Module({})
class WorkerUnderTest {}

type Labels = Record<string, string>;

async function valueOf(metrics: AgentOsMetrics, name: string, labels: Labels, metricName = name): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  return metric?.values.find(
    (value) =>
      ((value as { metricName?: string }).metricName ?? name) === metricName &&
      Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected) &&
      Object.keys(value.labels).length === Object.keys(labels).length,
  )?.value;
}

/**
 * The supervisor and an io worker on one in-process bus, recording into one registry of their
 * own: what they count as goals run, and what they register for the ops server.
 */
describe('the supervisor and a worker recording their metrics and readiness', () => {
  const topics = new TopicRegistry({ workerTypes: ['io'] });
  let bus: InProcessBus;
  let metrics: AgentOsMetrics;
  let readiness: ReadinessChecks;
  let services: INestMicroservice[];
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentos-observability-'));
    bus = new InProcessBus();
    await bus.connect();
    metrics = new AgentOsMetrics({ registry: new Registry() });
    readiness = new ReadinessChecks();
    const env = { MEMORY_DATA_DIR: dataDir, SUPERVISOR_POOL_CONCURRENCY: '64', SUPERVISOR_CAPABILITY_WAIT_MS: '5000' };
    const config = loadConfig(SupervisorConfig, env);
    const memory = { config: loadConfig(SupervisorMemoryConfig, env), store: loadConfig(MemoryConfig, env), embedding: loadConfig(EmbeddingConfig, env) };
    const settings = { workerType: 'io', workerId: 'io-1', concurrency: 3, faultInjection: true };
    services = [
      await startBusService({
        module: { module: SupervisorUnderTest, imports: [BusModule.forRoot(bus, topics), SupervisorModule.forRoot({ config, memory, metrics, readiness })] },
        bus,
        subscriptions: supervisorSubscriptions(topics, config),
        logLevels: ['error'],
      }),
      await startBusService({
        module: { module: WorkerUnderTest, imports: [BusModule.forRoot(bus, topics), WorkerModule.forRoot({ settings, tools: [], metrics })] },
        bus,
        subscriptions: workerSubscriptions(settings, topics),
        logLevels: ['error'],
      }),
    ];
  });

  afterEach(async () => {
    await Promise.all(services.map((service) => service.close()));
    await bus.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(goal: GoalMessage): Promise<GoalEventMessage> {
    let terminal: GoalEventMessage | undefined;
    const follower = await bus.subscribe({ topics: [topics.events()], groupId: uniqueName('follow'), maxInFlight: 8 }, async ({ message }) => {
      if (message.kind === 'event' && message.goalId === goal.goalId && TERMINAL_GOAL_EVENTS.includes(message.type)) terminal = message;
    });
    try {
      await bus.publish([{ topic: topics.goals(), key: goal.goalId, message: goal }]);
      return await waitFor(() => terminal, { timeoutMs: 10_000, description: `goal ${goal.goalId} to end` });
    } finally {
      await follower.close();
    }
  }

  it('counts goals by final status, tasks by status with their latency, on both sides', async () => {
    const succeeded = await run(sampleGoal(uniqueName('ok'), { tasks: [{ id: 'a', workerType: 'io', tool: 'noop', input: {} }, { id: 'b', workerType: 'io', tool: 'noop', input: {} }] }));
    expect(succeeded.type).toBe('goal.succeeded');
    // A logic error means replan; with no planner configured, the goal fails.
    const failed = await run(sampleGoal(uniqueName('fails'), { tasks: [{ id: 'f', workerType: 'io', tool: 'fault.inject', input: { fail: { code: 'logic_error' } } }] }));
    expect(failed.type).toBe('goal.failed');
    const rejected = await run(sampleGoal(uniqueName('invalid'), { tasks: [{ id: 'x', workerType: 'io', tool: 'no.such.tool', input: {} }] }));
    expect(rejected.type).toBe('goal.rejected');

    expect(await valueOf(metrics, 'agentos_goals_total', { status: 'succeeded' })).toBe(1);
    expect(await valueOf(metrics, 'agentos_goals_total', { status: 'failed' })).toBe(1);
    expect(await valueOf(metrics, 'agentos_goals_total', { status: 'rejected' })).toBe(1);

    const noop = { worker_type: 'io', tool: 'noop' };
    const fault = { worker_type: 'io', tool: 'fault.inject' };
    expect(await valueOf(metrics, 'agentos_tasks_total', { ...noop, status: 'dispatched' })).toBe(2);
    expect(await valueOf(metrics, 'agentos_tasks_total', { ...noop, status: 'succeeded' })).toBe(2);
    expect(await valueOf(metrics, 'agentos_tasks_total', { ...noop, status: 'failed' })).toBe(0);
    expect(await valueOf(metrics, 'agentos_tasks_total', { ...fault, status: 'failed' })).toBe(1);
    expect(await valueOf(metrics, 'agentos_task_duration_seconds', noop, 'agentos_task_duration_seconds_count')).toBe(2);
    expect(await valueOf(metrics, 'agentos_task_duration_seconds', fault, 'agentos_task_duration_seconds_count')).toBe(1);

    expect(await valueOf(metrics, 'agentos_worker_tasks_total', { ...noop, status: 'succeeded' })).toBe(2);
    expect(await valueOf(metrics, 'agentos_worker_tasks_total', { ...fault, status: 'failed' })).toBe(1);
    expect(await valueOf(metrics, 'agentos_worker_task_duration_seconds', noop, 'agentos_worker_task_duration_seconds_count')).toBe(2);

    expect(await valueOf(metrics, 'agentos_tasks_in_flight', { worker_type: 'io' })).toBe(0);
    expect(await valueOf(metrics, 'agentos_pool_concurrency_limit', { worker_type: 'io' })).toBe(64);
    expect(await valueOf(metrics, 'agentos_worker_tasks_in_flight', { worker_type: 'io' })).toBe(0);
    expect(await valueOf(metrics, 'agentos_worker_concurrency_limit', { worker_type: 'io' })).toBe(3);
  });

  it('shows tasks in flight on both sides while they run', async () => {
    const goal = sampleGoal(uniqueName('slow'), { tasks: [{ id: 's', workerType: 'io', tool: 'noop', input: { delayMs: 30_000 } }] });
    await bus.publish([{ topic: topics.goals(), key: goal.goalId, message: goal }]);
    await waitFor(async () => (await valueOf(metrics, 'agentos_worker_tasks_in_flight', { worker_type: 'io' })) === 1, {
      timeoutMs: 5_000,
      description: 'the worker to report the task in flight',
    });
    expect(await valueOf(metrics, 'agentos_tasks_in_flight', { worker_type: 'io' })).toBe(1);

    const cancel: ControlMessage = { ...newEnvelope('control', goal), signal: 'cancel', target: { goalId: goal.goalId }, reason: 'the test is over' };
    await bus.publish([{ topic: topics.control(), key: goal.goalId, message: cancel }]);
    await waitFor(async () => (await valueOf(metrics, 'agentos_worker_tasks_in_flight', { worker_type: 'io' })) === 0, {
      timeoutMs: 5_000,
      description: 'the cancelled task to stop',
    });
    expect(await valueOf(metrics, 'agentos_tasks_in_flight', { worker_type: 'io' })).toBe(0);
    expect(await valueOf(metrics, 'agentos_goals_total', { status: 'cancelled' })).toBe(1);
  });

  it('registers its memory store as a readiness check while it runs, and removes it when it stops', async () => {
    expect(readiness.names()).toEqual(['memory']);
    expect(await readiness.evaluate()).toEqual([{ name: 'memory', status: { ready: true, details: { store: 'sqlite' } } }]);
    await services[0]!.close();
    services = services.slice(1);
    expect(readiness.names()).toEqual([]);
    expect(await valueOf(metrics, 'agentos_pool_concurrency_limit', { worker_type: 'io' })).toBeUndefined();
  });
});
