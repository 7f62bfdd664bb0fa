import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, NodeTracerProvider, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { GoalEventMessage, GoalMessage, newEnvelope, ResultMessage, TaskMessage, TopicRegistry } from '@agentos/contracts';
import { InProcessBus } from '../../bus/in-process/in-process-bus';
import { Delivery, DeliveryHandler } from '../../bus/message-bus';
import { currentLogContext, LogContext } from '../log-context';
import { setDeliveryLogContext } from './delivery-log-context';
import { handleDelivery } from './delivery-tracing';
import { goalTraces } from './goal-trace-registry';

const topics = new TopicRegistry({ workerTypes: ['io'] });
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const goal = (goalId: string): GoalMessage => ({ ...newEnvelope('goal', { goalId }), goal: `goal ${goalId}` });
const task = (goalId: string, taskId: string): TaskMessage => ({
  ...newEnvelope('task', { goalId }),
  taskId,
  attempt: 1,
  workerType: 'io',
  tool: 'noop',
  input: {},
  timeoutMs: 1_000,
  idempotencyKey: `${goalId}:${taskId}`,
});
const result = (cause: TaskMessage): ResultMessage => ({
  ...newEnvelope('result', cause),
  taskId: cause.taskId,
  attempt: cause.attempt,
  workerType: 'io',
  workerId: 'w1',
  status: 'succeeded',
  output: {},
  timings: { receivedAt: cause.createdAt, startedAt: cause.createdAt, finishedAt: cause.createdAt, runMs: 0 },
});
const terminal = (goalId: string): GoalEventMessage => ({ ...newEnvelope('event', { goalId }), type: 'goal.succeeded' });

/** A bus with one subscriber per topic used here; every delivery is recorded with the log context its handler saw. */
async function busWith(handlers: Partial<Record<'goal' | 'task' | 'result', DeliveryHandler>> = {}) {
  const bus = new InProcessBus();
  await bus.connect();
  const seen: Array<{ delivery: Delivery; log: LogContext }> = [];
  const subscribe = async (topic: string, kind: 'goal' | 'task' | 'result') =>
    bus.subscribe({ topics: [topic], groupId: `g-${kind}`, maxInFlight: 8, maxDeliveries: 3 }, async (delivery) => {
      seen.push({ delivery, log: currentLogContext() });
      await handlers[kind]?.(delivery);
    });
  await subscribe(topics.goals(), 'goal');
  await subscribe(topics.tasks('io'), 'task');
  await subscribe(topics.results(), 'result');
  return { bus, seen };
}

const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  if (!condition()) throw new Error('condition not met within 1 s');
};

describe('bus tracing, tracing off', () => {
  afterEach(() => setDeliveryLogContext(false));

  it('adds no trace headers and sets no log context', async () => {
    const { bus, seen } = await busWith();
    await bus.publish([{ topic: topics.tasks('io'), key: 't1', message: task('g-off', 't1') }]);
    await until(() => seen.length === 1);
    expect(seen[0]!.delivery.headers).toEqual({});
    expect(seen[0]!.log).toEqual({});
    await bus.close();
  });

  it('sets the goal and task of the delivery as log context when asked to', async () => {
    setDeliveryLogContext(true);
    const { bus, seen } = await busWith();
    await bus.publish([{ topic: topics.tasks('io'), key: 't1', message: task('g-log', 't1') }]);
    await until(() => seen.length === 1);
    expect(seen[0]!.log).toEqual({ goalId: 'g-log', taskId: 't1' });
    await bus.close();
  });
});

describe('bus tracing, tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider;

  beforeAll(() => {
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register({ propagator: new W3CTraceContextPropagator() });
  });

  afterEach(() => {
    goalTraces.clear();
    exporter.reset();
  });

  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const spansNamed = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.name === name);
  const only = (name: string): ReadableSpan => {
    const spans = spansNamed(name);
    if (spans.length !== 1) throw new Error(`expected one span "${name}", got ${spans.length}: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
    return spans[0]!;
  };
  const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

  it('makes the consumer span of a record a child of its producer span, with the messaging attributes', async () => {
    const { bus, seen } = await busWith();
    const message = task('g-1', 't1');
    await bus.publish([{ topic: topics.tasks('io'), key: 't1', message }]);
    await until(() => spansNamed(`${topics.tasks('io')} process`).length === 1);

    const producer = only(`${topics.tasks('io')} send`);
    const consumer = only(`${topics.tasks('io')} process`);
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(producer.parentSpanContext).toBeUndefined();
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(parentOf(consumer)).toBe(producer.spanContext().spanId);
    expect(seen[0]!.delivery.headers.traceparent).toBe(`00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01`);
    expect(consumer.attributes).toEqual({
      'messaging.system': 'in-process',
      'messaging.destination.name': topics.tasks('io'),
      'messaging.operation.type': 'process',
      'messaging.message.id': message.id,
      'agentos.goal_id': 'g-1',
      'agentos.task_id': 't1',
      'agentos.message_kind': 'task',
      'agentos.delivery_count': 1,
    });
    expect(producer.attributes).toMatchObject({ 'messaging.operation.type': 'send', 'agentos.message_kind': 'task' });
    await bus.close();
  });

  it('sets goal, task, trace and span ids as the log context of the handler', async () => {
    const { bus, seen } = await busWith();
    await bus.publish([{ topic: topics.tasks('io'), key: 't1', message: task('g-log', 't1') }]);
    await until(() => spansNamed(`${topics.tasks('io')} process`).length === 1);
    const consumer = only(`${topics.tasks('io')} process`);
    expect(seen[0]!.log).toEqual({ goalId: 'g-log', taskId: 't1', traceId: consumer.spanContext().traceId, spanId: consumer.spanContext().spanId });
    await bus.close();
  });

  it('starts a root span for a goal that arrived without trace context, parents its later messages under it, and ends it with the goal', async () => {
    const { bus } = await busWith();
    // A goal written by a producer that does not trace (a plain Kafka client): no headers.
    const arrived: Delivery = { topic: topics.goals(), key: 'g-root', message: goal('g-root'), headers: {}, partition: 2, offset: 41, deliveryCount: 1 };
    await handleDelivery('kafka', arrived, async () => {
      await bus.publish([{ topic: topics.tasks('io'), key: 'first', message: task('g-root', 'first') }]);
    });
    expect(spansNamed('goal g-root')).toEqual([]); // still open: the goal runs

    // Published later from outside any handler (a timer, say): joins the goal's trace under its root.
    await bus.publish([{ topic: topics.tasks('io'), key: 'later', message: task('g-root', 'later') }]);
    await bus.publish([{ topic: topics.events(), key: 'g-root', message: terminal('g-root') }]);
    await until(() => spansNamed(`${topics.tasks('io')} process`).length === 2);

    const root = only('goal g-root');
    expect(root.parentSpanContext).toBeUndefined();
    const goalConsumer = only(`${topics.goals()} process`);
    expect(goalConsumer.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.kafka.partition': 2, 'messaging.kafka.offset': 41 });
    const [insideHandler, outside] = spansNamed(`${topics.tasks('io')} send`).sort((a, b) =>
      String(a.attributes['agentos.task_id']).localeCompare(String(b.attributes['agentos.task_id'])),
    );
    expect(parentOf(goalConsumer)).toBe(root.spanContext().spanId);
    expect(parentOf(insideHandler!)).toBe(goalConsumer.spanContext().spanId);
    expect(parentOf(outside!)).toBe(root.spanContext().spanId);
    expect(new Set(exporter.getFinishedSpans().map((span) => span.spanContext().traceId))).toEqual(new Set([root.spanContext().traceId]));
    expect(goalTraces.has('g-root')).toBe(false);
    await bus.close();
  });

  it("makes a published goal's producer span the root of its trace, and forgets the goal at its terminal event", async () => {
    const { bus } = await busWith();
    await bus.publish([{ topic: topics.goals(), key: 'g-pub', message: goal('g-pub') }]);
    await until(() => spansNamed(`${topics.goals()} process`).length === 1);
    const producer = only(`${topics.goals()} send`);
    expect(producer.parentSpanContext).toBeUndefined();
    expect(goalTraces.spanContextOf('g-pub')).toEqual(only(`${topics.goals()} process`).spanContext());

    await bus.publish([{ topic: topics.events(), key: 'g-pub', message: terminal('g-pub') }]);
    expect(goalTraces.has('g-pub')).toBe(false);
    await bus.close();
  });

  it('continues the trace of a goal submitted with a traceparent', async () => {
    const { bus } = await busWith();
    await bus.publish([{ topic: topics.goals(), key: 'g-cont', message: goal('g-cont'), headers: { traceparent: TRACEPARENT } }]);
    await until(() => spansNamed(`${topics.goals()} process`).length === 1);
    await bus.publish([{ topic: topics.tasks('io'), key: 't', message: task('g-cont', 't') }]);
    await until(() => spansNamed(`${topics.tasks('io')} process`).length === 1);

    const producer = only(`${topics.goals()} send`);
    expect(producer.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parentOf(producer)).toBe('00f067aa0ba902b7');
    const goalConsumer = only(`${topics.goals()} process`);
    expect(parentOf(goalConsumer)).toBe(producer.spanContext().spanId);
    expect(spansNamed('goal g-cont')).toEqual([]);
    expect(parentOf(only(`${topics.tasks('io')} send`))).toBe(goalConsumer.spanContext().spanId);
    for (const span of exporter.getFinishedSpans()) expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    await bus.close();
  });

  it("parents a message of another goal, published by a goal's handler, under that other goal's trace", async () => {
    const { bus } = await busWith({
      goal: async ({ message }) => {
        // g-b's handler also flushes a task g-a was waiting to dispatch (a freed pool slot).
        if (message.goalId === 'g-b') await bus.publish([{ topic: topics.tasks('io'), key: 'a-task', message: task('g-a', 'a-task') }]);
      },
    });
    await bus.publish([{ topic: topics.goals(), key: 'g-a', message: goal('g-a') }]);
    await until(() => spansNamed(`${topics.goals()} process`).length === 1);
    await bus.publish([{ topic: topics.goals(), key: 'g-b', message: goal('g-b') }]);
    await until(() => spansNamed(`${topics.tasks('io')} process`).length === 1);

    const taskProducer = only(`${topics.tasks('io')} send`);
    expect(taskProducer.spanContext().traceId).toBe(goalTraces.spanContextOf('g-a')!.traceId);
    expect(parentOf(taskProducer)).toBe(goalTraces.spanContextOf('g-a')!.spanId);
    expect(taskProducer.spanContext().traceId).not.toBe(goalTraces.spanContextOf('g-b')!.traceId);
    await bus.close();
  });

  it('keeps the consumer span open over everything the handler awaits, so its result is a child of the task span', async () => {
    const { bus } = await busWith({
      task: async ({ message }) => {
        await new Promise((resolve) => setTimeout(resolve, 20)); // the tool runs
        await bus.publish([{ topic: topics.results(), key: message.goalId, message: result(message as TaskMessage) }]);
      },
    });
    await bus.publish([{ topic: topics.tasks('io'), key: 't', message: task('g-res', 't') }]);
    await until(() => spansNamed(`${topics.results()} process`).length === 1);

    const taskConsumer = only(`${topics.tasks('io')} process`);
    const resultProducer = only(`${topics.results()} send`);
    const resultConsumer = only(`${topics.results()} process`);
    expect(parentOf(resultProducer)).toBe(taskConsumer.spanContext().spanId);
    expect(parentOf(resultConsumer)).toBe(resultProducer.spanContext().spanId);
    // It lasted as long as the tool ran (20 ms), not just until the handler's first await.
    const [seconds, nanos] = taskConsumer.duration;
    expect(seconds * 1_000 + nanos / 1e6).toBeGreaterThanOrEqual(15);
  });

  it('marks the consumer span of a failing handler as an error, and traces each delivery', async () => {
    const { bus } = await busWith({
      task: async ({ deliveryCount }) => {
        if (deliveryCount === 1) throw new Error('first delivery fails');
      },
    });
    await bus.publish([{ topic: topics.tasks('io'), key: 't', message: task('g-err', 't') }]);
    await until(() => spansNamed(`${topics.tasks('io')} process`).length === 2);

    const [failed, retried] = spansNamed(`${topics.tasks('io')} process`).sort((a, b) => Number(a.attributes['agentos.delivery_count']) - Number(b.attributes['agentos.delivery_count']));
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'first delivery fails' });
    expect(failed!.events.map((event) => event.name)).toEqual(['exception']);
    expect(retried!.status.code).toBe(SpanStatusCode.UNSET);
    expect(parentOf(retried!)).toBe(parentOf(failed!));
    await bus.close();
  });

  it('leaves goal events (like control signals, run records, announcements) without spans or trace headers, with the log context set', async () => {
    const bus = new InProcessBus();
    const seen: Array<{ delivery: Delivery; log: LogContext }> = [];
    await bus.subscribe({ topics: [topics.events()], groupId: 'events', maxInFlight: 1 }, async (delivery) => {
      seen.push({ delivery, log: currentLogContext() });
    });
    const event: GoalEventMessage = { ...newEnvelope('event', { goalId: 'g' }), type: 'task.dispatched', taskId: 't1', attempt: 1 };
    await bus.publish([{ topic: topics.events(), key: 'g', message: event }]);
    await until(() => seen.length === 1);
    expect(seen[0]!.delivery.headers).toEqual({});
    expect(seen[0]!.log).toEqual({ goalId: 'g', taskId: 't1' });
    expect(exporter.getFinishedSpans()).toEqual([]);
    await bus.close();
  });
});
