import { encode, GoalEventMessage, GoalMessage, JsonObject, TaskGraph } from '@agentos/contracts';
import { reply, sampleGoal, ScriptedLlmServer, ServiceProcess, uniqueName } from '@agentos/test-kit';
import { Kafka, Producer } from 'kafkajs';
import { freshNamespace, plainKafka, serviceEnv } from '../support/kafka-env';
import { startServices } from '../support/services';
import { EventLog } from '../support/topic-reader';

/** In flight as the supervisor counts it, after each of its events (published in decision order). */
function inFlightTimeline(events: readonly GoalEventMessage[]): Array<{ type: string; taskId?: string; inFlight: number }> {
  let inFlight = 0;
  return events.map((event) => {
    if (event.type === 'task.dispatched') inFlight++;
    if (event.type === 'task.succeeded' || event.type === 'task.failed') inFlight--;
    return { type: event.type, ...(event.taskId !== undefined ? { taskId: event.taskId } : {}), inFlight };
  });
}

describe('the failure policy on a real Kafka broker, services as processes, faults injected', () => {
  const services: ServiceProcess[] = [];
  let llm: ScriptedLlmServer;
  let kafka: Kafka;
  let producer: Producer;
  let events: EventLog;
  let goalsTopic: string;

  const runGoal = async (plan: TaskGraph): Promise<{ terminal: GoalEventMessage; events: GoalEventMessage[] }> => {
    const goal: GoalMessage = sampleGoal(uniqueName('policy'), plan);
    await producer.send({ topic: goalsTopic, messages: [{ key: goal.goalId, value: encode(goal) }] });
    const terminal = await events.terminal(goal.goalId, 90_000);
    return { terminal, events: events.events(goal.goalId) };
  };

  beforeAll(async () => {
    const { namespace, topics } = freshNamespace();
    goalsTopic = topics.goals();
    llm = await ScriptedLlmServer.start();
    const env = serviceEnv(namespace, { WORKER_FAULT_INJECTION: 'true' });
    await startServices(
      {
        supervisor: {
          ...env,
          SUPERVISOR_POOL_CONCURRENCY: '8',
          SUPERVISOR_RETRY_BASE_MS: '20',
          SUPERVISOR_RETRY_MAX_MS: '50',
          SUPERVISOR_DEADLINE_GRACE_MS: '200',
          LLM_BASE_URL: llm.baseUrl,
          LLM_MODEL: 'scripted-planner',
        },
        io: { ...env, IO_FS_ROOT: '/tmp' },
        logic: { ...env, WORKER_CONCURRENCY: '32' },
      },
      services,
    );
    kafka = plainKafka();
    producer = kafka.producer();
    await producer.connect();
    events = await new EventLog(kafka, topics.events()).start();
  }, 180_000);

  afterAll(async () => {
    await events?.stop();
    await producer?.disconnect();
    await Promise.all(services.map((service) => service.stop()));
    await llm?.close();
  }, 60_000);

  it('retries a transient failure: exactly the failed task runs again, its upstream once, its downstream once', async () => {
    const { terminal, events: log } = await runGoal({
      tasks: [
        { id: 'up', workerType: 'logic', tool: 'noop', input: { echo: 1 } },
        { id: 'flaky', workerType: 'logic', tool: 'fault.inject', input: { fail: { code: 'transient', attempts: [1, 2] }, output: { $ref: 'up.echo' } }, maxAttempts: 3 },
        { id: 'down', workerType: 'logic', tool: 'noop', input: { echo: { $ref: 'flaky.output' } } },
      ],
    });
    expect(terminal.type).toBe('goal.succeeded');
    expect(terminal.data!.outputs).toEqual({ down: { echo: 1 } });
    const dispatched = log.filter((event) => event.type === 'task.dispatched').map((event) => `${event.taskId}#${event.attempt}`);
    expect(dispatched).toEqual(['up#1', 'flaky#1', 'flaky#2', 'flaky#3', 'down#1']);
  });

  it('turns a task that hangs past its deadline into timeouts, retries them, then fails the goal with the report', async () => {
    const { terminal } = await runGoal({
      tasks: [{ id: 'stuck', workerType: 'logic', tool: 'fault.inject', input: { delayMs: 600_000 }, timeoutMs: 300, maxAttempts: 2 }],
    });
    expect(terminal.type).toBe('goal.failed');
    const report = terminal.data!;
    expect(report.failedTask).toBe('stuck');
    expect(String(report.reason)).toContain('gave up after 2 of 2 attempts; last error timeout');
    const decisions = ((report.history as JsonObject[])[0]!.decisions as JsonObject[]).map((decision) => [decision.attempt, (decision.error as JsonObject).code, decision.decision]);
    expect(decisions).toEqual([
      [1, 'timeout', 'retry'],
      [2, 'timeout', 'fail_goal'],
    ]);
  });

  it('lowers a pool’s dispatch limit on rate limits and grows it back (observed in-flight count)', async () => {
    const { terminal, events: log } = await runGoal({
      tasks: Array.from({ length: 48 }, (_, i) => ({
        id: `t${i}`,
        workerType: 'logic',
        tool: 'fault.inject',
        input: { delayMs: 25, ...(i < 8 ? { fail: { code: 'rate_limited', attempts: [1], retryAfterMs: 20 } } : {}) },
      })),
    });
    expect(terminal.type).toBe('goal.succeeded');
    const timeline = inFlightTimeline(log);
    const firstFailure = timeline.findIndex((step) => step.type === 'task.failed');
    expect(Math.max(...timeline.slice(0, firstFailure).map((step) => step.inFlight))).toBe(8);
    expect(log.filter((event) => event.type === 'task.failed' && event.data!.poolLimit !== undefined).map((event) => event.data!.poolLimit)).toEqual([4]);
    const dispatchLevels = timeline.slice(firstFailure + 1).filter((step) => step.type === 'task.dispatched').map((step) => step.inFlight);
    expect(dispatchLevels[0]).toBeLessThanOrEqual(4);
    expect(Math.max(...dispatchLevels)).toBe(8);
  });

  it('replans after a logic error, keeping finished outputs, and completes', async () => {
    llm.enqueue(
      reply.json({
        tasks: [{ id: 'fixed', workerType: 'logic', tool: 'math.evaluate', input: { expression: 'n * 2', scope: { n: { $ref: 'count.echo' } } } }],
        outputs: ['fixed'],
      }),
    );
    const { terminal, events: log } = await runGoal({
      tasks: [
        { id: 'count', workerType: 'logic', tool: 'noop', input: { echo: 21 } },
        { id: 'broken', workerType: 'logic', tool: 'fault.inject', input: { fail: { code: 'logic_error', message: 'wrong formula' } }, dependsOn: ['count'] },
      ],
    });
    expect(terminal.type).toBe('goal.succeeded');
    expect(terminal.data!.outputs).toEqual({ fixed: { value: 42, type: 'number' } });
    expect(log.find((event) => event.type === 'goal.replanned')!.data).toMatchObject({ failedTask: 'broken', kept: ['count'], added: 1 });
    expect(log.filter((event) => event.type === 'task.dispatched' && event.taskId === 'count')).toHaveLength(1);
  });
});
