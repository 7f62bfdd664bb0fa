import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, GoalEventMessage, JsonObject, newEnvelope, TaskMessage, TopicRegistry } from '@agentos/contracts';
import { Kafka, Producer } from 'kafkajs';
import { EventLog, TopicReader } from '../support/topic-reader';
import { exampleGoal, expectedSalesTotals, REPO_ROOT } from '../support/example-goal';
import { brokers, freshNamespace, plainKafka, serviceEnv } from '../support/kafka-env';
import { maxOverlap } from '../support/max-overlap';
import { startServices } from '../support/services';
import { noopTasks, reply, sampleGoal, sampleTask, ScriptedLlmServer, ServiceProcess, uniqueName, waitFor } from '@agentos/test-kit';

const IO_CONCURRENCY = 3;

describe('AgentOS on a real Kafka broker, each service its own process', () => {
  let topics: TopicRegistry;
  let namespace: string;
  let fsRoot: string;
  let kafka: Kafka;
  let producer: Producer;
  let events: EventLog;
  let dlq: TopicReader;
  let llm: ScriptedLlmServer;
  const services: ServiceProcess[] = [];

  const submit = async (message: { goalId: string } & Parameters<typeof encode>[0]): Promise<void> => {
    await producer.send({ topic: topics.goals(), messages: [{ key: message.goalId, value: encode(message) }] });
  };

  beforeAll(async () => {
    const fresh = freshNamespace();
    topics = fresh.topics;
    namespace = fresh.namespace;
    fsRoot = mkdtempSync(join(tmpdir(), 'agentos-e2e-io-'));
    mkdirSync(join(fsRoot, 'data'));
    copyFileSync(join(REPO_ROOT, 'examples', 'data', 'sales.csv'), join(fsRoot, 'data', 'sales.csv'));

    const env = serviceEnv(fresh.namespace);
    llm = await ScriptedLlmServer.start();
    await startServices(
      {
        supervisor: { ...env, SUPERVISOR_TASK_TIMEOUT_MS: '20000', LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'scripted-planner' },
        io: { ...env, IO_FS_ROOT: fsRoot, WORKER_CONCURRENCY: String(IO_CONCURRENCY) },
        logic: { ...env, WORKER_CONCURRENCY: '8' },
      },
      services,
    );

    kafka = plainKafka();
    producer = kafka.producer();
    await producer.connect();
    events = await new EventLog(kafka, topics.events()).start();
    dlq = await new TopicReader(kafka, topics.dlq()).start();
  }, 180_000);

  afterAll(async () => {
    await events?.stop();
    await dlq?.stop();
    await producer?.disconnect();
    await Promise.all(services.map((service) => service.stop()));
    await llm?.close();
  }, 60_000);

  it('runs a fan-out/fan-in plan over both worker types and produces the right output', async () => {
    const goal = exampleGoal();
    await submit(goal);

    const terminal = await events.terminal(goal.goalId);
    expect(terminal.type).toBe('goal.succeeded');
    const expected = expectedSalesTotals();
    const outputs = terminal.data!.outputs as JsonObject;
    expect((outputs.totals as JsonObject).result).toEqual({
      orders: expected.orders,
      units: expected.units,
      revenue: Math.round(expected.revenue * 100) / 100,
      months: expected.months,
    });
    expect((outputs['average-order'] as JsonObject).value).toBeCloseTo(expected.revenue / expected.orders, 2);

    const report = readFileSync(join(fsRoot, 'out', 'sales-report.md'), 'utf8');
    for (const [region, revenue] of expected.byRegion) expect(report).toContain(`| ${region} | ${revenue} |`);
    const succeeded = events.events(goal.goalId).filter((event) => event.type === 'task.succeeded');
    expect(new Set(succeeded.map((event) => event.taskId))).toEqual(new Set(goal.plan!.tasks.map((task) => task.id)));
  });

  it('plans a free-text goal with the LLM (a scripted OpenAI-compatible server) and runs the plan', async () => {
    llm.enqueue(
      reply.json({
        tasks: [
          { id: 'sum', workerType: 'logic', tool: 'math.evaluate', input: { expression: '19 + 23' } },
          { id: 'say', workerType: 'logic', tool: 'text.template', input: { template: 'The answer is {{n}}', data: { n: { $ref: 'sum.value' } } } },
        ],
        outputs: ['say'],
      }),
    );
    const goal = { ...newEnvelope('goal', { goalId: uniqueName('free') }), goal: 'What is 19 + 23? Answer in a sentence.' };
    await submit(goal);

    const terminal = await events.terminal(goal.goalId);
    expect(terminal.type).toBe('goal.succeeded');
    expect(terminal.data!.outputs).toEqual({ say: { text: 'The answer is 42' } });
    expect(events.events(goal.goalId).find((event) => event.type === 'goal.planned')!.data).toMatchObject({ source: 'llm', rounds: 1 });
    expect(JSON.stringify(llm.requests.at(-1)!.body.messages)).toContain('What is 19 + 23?');
  });

  it('completes a goal that kcat published as raw JSON, and kcat reads its terminal event back', async () => {
    const goalId = uniqueName('kcat');
    const goal = {
      schemaVersion: 1,
      id: '6f1c1c55-3b7a-4c55-9f0e-0d6a1f2f8a10',
      kind: 'goal',
      goalId,
      correlationId: goalId,
      createdAt: new Date().toISOString(),
      goal: 'add two numbers, published by a client AgentOS did not write',
      plan: { tasks: [{ id: 'sum', workerType: 'logic', tool: 'math.evaluate', input: { expression: '19 + 23' } }] },
    };
    const produced = spawnSync('kcat', ['-b', brokers().join(','), '-t', topics.goals(), '-P', '-k', goalId], {
      input: `${JSON.stringify(goal)}\n`,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(produced.error).toBeUndefined();
    expect(produced.status).toBe(0);

    const line = await waitFor(
      () => {
        const read = spawnSync('kcat', ['-b', brokers().join(','), '-t', topics.events(), '-C', '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\n'], {
          encoding: 'utf8',
          timeout: 30_000,
        });
        return read.stdout
          .split('\n')
          .find((record) => record.startsWith(`${goalId}\t`) && /"type":"goal\.(succeeded|failed|rejected|cancelled)"/.test(record));
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'kcat to read the terminal event' },
    );
    const terminal = JSON.parse(line.slice(goalId.length + 1)) as GoalEventMessage;
    expect(terminal.type).toBe('goal.succeeded');
    expect(terminal.data!.outputs).toEqual({ sum: { value: 42, type: 'number' } });
  });

  it('dead-letters malformed goals, tasks and results with a reason, and keeps serving valid goals', async () => {
    const before = sampleGoal(uniqueName('before'), noopTasks(2, 'logic'));
    const after = sampleGoal(uniqueName('after'), noopTasks(2, 'io'));
    const validTask: TaskMessage = sampleTask({ goalId: uniqueName('stray') });
    const bad = (topic: string, key: string, value: Buffer | string) => ({ topic, messages: [{ key, value }] });
    await submit(before);
    await producer.sendBatch({
      topicMessages: [
        bad(topics.goals(), 'g-json', 'this is not JSON {'),
        bad(topics.goals(), 'g-schema', JSON.stringify({ ...sampleGoal('g-schema', undefined), goal: '' })),
        bad(topics.goals(), 'g-kind', JSON.stringify({ ...sampleGoal('g-kind', undefined), kind: 'gossip' })),
        bad(topics.tasks('io'), 't-schema', JSON.stringify({ ...validTask, attempt: 0, tool: 'Not A Tool' })),
        bad(topics.results(), 'r-json', '{"kind":"result",'),
        bad(topics.results(), 'r-schema', JSON.stringify({ ...newEnvelope('result', { goalId: 'r-schema' }), status: 'maybe' })),
      ],
    });
    // Over AgentOS's 1,000,000-byte limit but under the broker's: it reaches the consumer, alone in its batch.
    await producer.send(bad(topics.goals(), 'g-big', JSON.stringify({ ...sampleGoal('g-big', undefined), goal: 'x'.repeat(1_010_000) })));
    await submit(after);

    expect((await events.terminal(before.goalId)).type).toBe('goal.succeeded');
    expect((await events.terminal(after.goalId)).type).toBe('goal.succeeded');
    const deadLetters = await waitFor(() => dlq.records.length >= 7 && dlq.records, { timeoutMs: 60_000, description: '7 dead letters' });
    const byKey = new Map(deadLetters.map((record) => [record.key, record.headers]));
    expect(byKey.get('g-json')).toMatchObject({ 'x-agentos-dlq-code': 'malformed_json', 'x-agentos-dlq-source-topic': topics.goals() });
    expect(byKey.get('g-schema')).toMatchObject({ 'x-agentos-dlq-code': 'schema_violation' });
    expect(byKey.get('g-schema')!['x-agentos-dlq-reason']).toContain('goal');
    expect(byKey.get('g-kind')).toMatchObject({ 'x-agentos-dlq-code': 'unknown_kind' });
    expect(byKey.get('g-big')).toMatchObject({ 'x-agentos-dlq-code': 'oversized' });
    expect(byKey.get('t-schema')).toMatchObject({ 'x-agentos-dlq-code': 'schema_violation', 'x-agentos-dlq-source-topic': topics.tasks('io') });
    expect(byKey.get('r-json')).toMatchObject({ 'x-agentos-dlq-code': 'malformed_json', 'x-agentos-dlq-source-topic': topics.results() });
    expect(byKey.get('r-schema')).toMatchObject({ 'x-agentos-dlq-code': 'schema_violation' });
    expect(deadLetters.find((record) => record.key === 'g-json')!.value!.toString()).toBe('this is not JSON {');
  });

  it('replays dead-lettered records to their topic with the ops command, once, skipping what still cannot decode', async () => {
    const goal = sampleGoal(uniqueName('replayed'), noopTasks(1, 'logic'));
    const deadLettered = (code: string, sourceTopic: string) => ({
      'x-agentos-dlq-source-topic': sourceTopic,
      'x-agentos-dlq-code': code,
      'x-agentos-dlq-reason': 'the handler failed while a dependency was down',
    });
    await producer.send({
      topic: topics.dlq(),
      messages: [
        { key: goal.goalId, value: encode(goal), headers: deadLettered('handler_failed', topics.goals()) },
        { key: 'replay-foreign', value: encode(sampleGoal('foreign', noopTasks(1, 'logic'))), headers: deadLettered('handler_failed', 'payments.orders.v1') },
      ],
    });
    const replay = () => {
      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'ops', 'src', 'main.js'), 'dlq-replay'], {
        env: { PATH: process.env.PATH ?? '', ...serviceEnv(namespace) },
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (run.status !== 0) throw new Error(`dlq-replay exited ${run.status}: ${run.stderr}`);
      return JSON.parse(run.stdout) as { read: number; replayed: Record<string, number>; skipped: Record<string, number> };
    };

    const first = replay();
    expect(first.replayed).toEqual({ [topics.goals()]: 1 });
    expect(first.skipped['source topic is not one of this namespace']).toBe(1);
    expect((await events.terminal(goal.goalId)).type).toBe('goal.succeeded');
    // The group's committed offset is the replay's memory: a second run finds nothing new.
    expect(replay()).toEqual({ read: 0, replayed: {}, skipped: {} });
  });

  it(`never runs more than WORKER_CONCURRENCY=${IO_CONCURRENCY} tools at once in a worker, and does run that many`, async () => {
    const goal = sampleGoal(uniqueName('pool'), noopTasks(IO_CONCURRENCY * 3, 'io', { delayMs: 400 }));
    await submit(goal);
    expect((await events.terminal(goal.goalId)).type).toBe('goal.succeeded');

    const intervals = events
      .events(goal.goalId)
      .filter((event) => event.type === 'task.succeeded')
      .map((event) => ({ start: Date.parse(String(event.data!.startedAt)), end: Date.parse(String(event.data!.finishedAt)) }));
    expect(intervals).toHaveLength(IO_CONCURRENCY * 3);
    expect(maxOverlap(intervals)).toBe(IO_CONCURRENCY);
  });

  it('shuts every service down cleanly on SIGTERM', async () => {
    const codes = await Promise.all(services.map((service) => service.stop()));
    expect(codes).toEqual([0, 0, 0]);
  });
});
