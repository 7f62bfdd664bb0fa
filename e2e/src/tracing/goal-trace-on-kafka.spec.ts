import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestMicroservice } from '@nestjs/common';
import { encode, GoalMessage, TopicRegistry } from '@agentos/contracts';
import { KafkaBus, startBusService } from '@agentos/runtime';
import { supervisorService } from '@agentos/supervisor';
import { recordSpans, sampleGoal, SpanRecorder, uniqueName, waitFor } from '@agentos/test-kit';
import { workerIoService } from '@agentos/worker-io';
import { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { Kafka, Producer } from 'kafkajs';
import { brokers, freshNamespace, plainKafka } from '../support/kafka-env';
import { EventLog } from '../support/topic-reader';

const TIMEOUT_MS = 60_000;
jest.setTimeout(3 * TIMEOUT_MS);

/** A chain a -> b -> c of noop tasks on the io worker: each task is dispatched by the previous one's result. */
function chainGoal(goalId: string): GoalMessage {
  return sampleGoal(goalId, {
    tasks: [
      { id: 'a', workerType: 'io', tool: 'noop', input: {} },
      { id: 'b', workerType: 'io', tool: 'noop', input: {}, dependsOn: ['a'] },
      { id: 'c', workerType: 'io', tool: 'noop', input: {}, dependsOn: ['b'] },
    ],
  });
}

/**
 * One goal is one trace across processes: the supervisor and an io worker each on a KafkaBus of
 * its own (two Kafka clients, as two processes would be), with the spans of both recorded here.
 */
describe('distributed tracing of a goal on a real Kafka broker', () => {
  let topics: TopicRegistry;
  let recorder: SpanRecorder;
  let kafka: Kafka;
  let producer: Producer;
  let events: EventLog;
  const buses: KafkaBus[] = [];
  const services: INestMicroservice[] = [];

  const kafkaBus = (name: string): KafkaBus => {
    const bus = new KafkaBus({
      brokers: brokers(),
      clientId: uniqueName(name),
      registry: topics,
      consumer: { heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 20_000 },
    });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    topics = freshNamespace().topics;
    recorder = recordSpans();
    const quiet = { logLevels: ['error' as const, 'fatal' as const] };
    const supervisorBus = kafkaBus('supervisor');
    services.push(await startBusService({ ...supervisorService(supervisorBus, topics, { SUPERVISOR_MEMORY: 'off' }), ...quiet }));
    const workerBus = kafkaBus('worker-io');
    const fsRoot = mkdtempSync(join(tmpdir(), 'agentos-trace-io-'));
    services.push(await startBusService({ ...workerIoService(workerBus, topics, { IO_FS_ROOT: fsRoot, WORKER_CONCURRENCY: '3' }), ...quiet }));

    kafka = plainKafka();
    producer = kafka.producer();
    await producer.connect();
    events = await new EventLog(kafka, topics.events()).start();
  }, 3 * TIMEOUT_MS);

  afterAll(async () => {
    await events?.stop();
    await producer?.disconnect();
    await Promise.all(services.map((service) => service.close()));
    await Promise.all(buses.map((bus) => bus.close()));
    await recorder?.stop();
  }, TIMEOUT_MS);

  /** Submits like a client that does not trace (a plain Kafka producer), optionally with its own traceparent. */
  const submit = async (goal: GoalMessage, headers?: Record<string, string>): Promise<void> => {
    await producer.send({ topic: topics.goals(), acks: -1, messages: [{ key: goal.goalId, value: encode(goal), ...(headers ? { headers } : {}) }] });
  };

  /** Every span of the goal, once all three results were handled (their consumer spans end after the goal's terminal event). */
  const spansOfGoal = async (goalId: string): Promise<ReadableSpan[]> => {
    expect((await events.terminal(goalId, TIMEOUT_MS)).type).toBe('goal.succeeded');
    const ofGoal = () => recorder.spans().filter((span) => span.attributes['agentos.goal_id'] === goalId);
    await waitFor(() => ofGoal().filter((span) => span.name === `${topics.results()} process`).length === 3, {
      timeoutMs: TIMEOUT_MS,
      description: 'the consumer spans of the three results',
    });
    return ofGoal();
  };

  const byName = (spans: readonly ReadableSpan[], name: string): ReadableSpan[] => spans.filter((span) => span.name === name);
  const ofTask = (spans: readonly ReadableSpan[], name: string, taskId: string): ReadableSpan => {
    const found = spans.filter((span) => span.name === name && span.attributes['agentos.task_id'] === taskId);
    if (found.length !== 1) throw new Error(`expected one "${name}" span of task ${taskId}, found ${found.length}`);
    return found[0]!;
  };
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
  const idOf = (span: ReadableSpan): string => span.spanContext().spanId;

  /** What every goal's trace shows, however it started. */
  const expectHopByHopParentage = (spans: readonly ReadableSpan[]): void => {
    const tasksTopic = topics.tasks('io');
    const goalConsumer = byName(spans, `${topics.goals()} process`);
    expect(goalConsumer).toHaveLength(1);
    expect(byName(spans, `${tasksTopic} send`)).toHaveLength(3);
    expect(byName(spans, `${tasksTopic} process`)).toHaveLength(3);
    expect(byName(spans, `${topics.results()} send`)).toHaveLength(3);

    // The supervisor dispatches a in the goal's handler, b in a's result's handler, c in b's.
    expect(parentOf(ofTask(spans, `${tasksTopic} send`, 'a'))).toBe(idOf(goalConsumer[0]!));
    expect(parentOf(ofTask(spans, `${tasksTopic} send`, 'b'))).toBe(idOf(ofTask(spans, `${topics.results()} process`, 'a')));
    expect(parentOf(ofTask(spans, `${tasksTopic} send`, 'c'))).toBe(idOf(ofTask(spans, `${topics.results()} process`, 'b')));
    for (const taskId of ['a', 'b', 'c']) {
      const taskConsumer = ofTask(spans, `${tasksTopic} process`, taskId);
      const resultProducer = ofTask(spans, `${topics.results()} send`, taskId);
      const resultConsumer = ofTask(spans, `${topics.results()} process`, taskId);
      // The worker's consumer span continues the supervisor's producer span across the broker...
      expect(parentOf(taskConsumer)).toBe(idOf(ofTask(spans, `${tasksTopic} send`, taskId)));
      expect(taskConsumer.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.kafka.partition': expect.any(Number), 'messaging.kafka.offset': expect.any(Number) });
      // ...covers the tool's execution, so the result it publishes is its child...
      expect(parentOf(resultProducer)).toBe(idOf(taskConsumer));
      // ...and the supervisor's consumer span of that result continues the worker's producer span.
      expect(parentOf(resultConsumer)).toBe(idOf(resultProducer));
    }
  };

  it('makes a goal one trace, rooted in a `goal <goalId>` span, across the supervisor and the worker', async () => {
    const goal = chainGoal(uniqueName('traced'));
    await submit(goal);
    const spans = await spansOfGoal(goal.goalId);

    // The root ends when the goal's terminal event is published: it spans the goal's whole run.
    const root = await waitFor(() => byName(recorder.spans(), `goal ${goal.goalId}`)[0], { timeoutMs: TIMEOUT_MS, description: 'the root span' });
    expect(root.parentSpanContext).toBeUndefined();
    const traceIds = new Set([...spans, root].map((span) => span.spanContext().traceId));
    expect(traceIds).toEqual(new Set([root.spanContext().traceId]));
    expect(parentOf(byName(spans, `${topics.goals()} process`)[0]!)).toBe(idOf(root));
    expectHopByHopParentage(spans);
  });

  it('continues the trace of a goal submitted with a traceparent header', async () => {
    const goal = chainGoal(uniqueName('continued'));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const submitterSpanId = '00f067aa0ba902b7';
    await submit(goal, { traceparent: `00-${traceId}-${submitterSpanId}-01` });
    const spans = await spansOfGoal(goal.goalId);

    for (const span of spans) expect(span.spanContext().traceId).toBe(traceId);
    expect(parentOf(byName(spans, `${topics.goals()} process`)[0]!)).toBe(submitterSpanId);
    expect(byName(recorder.spans(), `goal ${goal.goalId}`)).toEqual([]);
    expectHopByHopParentage(spans);
  });
});
