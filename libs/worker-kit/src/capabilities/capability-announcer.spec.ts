import { Test } from '@nestjs/testing';
import { CapabilitiesMessage, decode, encode, TopicRegistry } from '@agentos/contracts';
import { BusModule, Delivery, InProcessBus, MessageBus } from '@agentos/runtime';
import { NoopTool } from '../noop/noop.tool';
import { WorkerModule } from '../nest/worker.module';
import { WorkerSettings } from '../nest/worker-settings';
import { ANNOUNCEMENT_TTL_INTERVALS, CapabilityAnnouncer, DEFAULT_ANNOUNCE_INTERVAL_MS } from './capability-announcer';

const topics = new TopicRegistry({ workerTypes: ['io'] });
const settings: WorkerSettings = { workerType: 'io', workerId: 'io-test-1', concurrency: 4, faultInjection: false, announceIntervalMs: 20 };

/** Announcements as they arrive on the capabilities topic, each awaited without polling. */
async function listen(bus: MessageBus): Promise<{ received: Delivery[]; next(): Promise<Delivery> }> {
  const received: Delivery[] = [];
  const waiting: Array<(delivery: Delivery) => void> = [];
  await bus.subscribe({ topics: [topics.capabilities()], groupId: 'test-supervisor', maxInFlight: 16 }, async (delivery) => {
    received.push(delivery);
    waiting.shift()?.(delivery);
  });
  let taken = 0;
  return {
    received,
    next: () => (taken < received.length ? Promise.resolve(received[taken++]!) : new Promise((resolve) => waiting.push((d) => (taken++, resolve(d))))),
  };
}

describe('CapabilityAnnouncer', () => {
  let bus: InProcessBus;
  let announcer: CapabilityAnnouncer | undefined;

  beforeEach(async () => {
    bus = new InProcessBus();
    await bus.connect();
  });

  afterEach(async () => {
    announcer?.onModuleDestroy();
    announcer = undefined;
    await bus.close();
  });

  it('announces on start-up: worker type, id, concurrency, ttl and every tool with its schemas, keyed by worker id', async () => {
    const announcements = await listen(bus);
    announcer = new CapabilityAnnouncer(bus, topics, { settings, tools: [new NoopTool()], concurrency: () => 3 });
    await announcer.onApplicationBootstrap();

    const { key, topic, message } = await announcements.next();
    expect(topic).toBe('agentos.capabilities.v1');
    expect(key).toBe('io-test-1');
    const announcement = message as CapabilitiesMessage;
    expect(announcement).toMatchObject({ kind: 'capabilities', goalId: '*', workerType: 'io', workerId: 'io-test-1', concurrency: 3, ttlMs: 20 * ANNOUNCEMENT_TTL_INTERVALS });
    expect(announcement.tools).toEqual([
      {
        name: 'noop',
        description: new NoopTool().description,
        sideEffects: false,
        inputSchema: expect.objectContaining({ type: 'object', additionalProperties: false, properties: expect.objectContaining({ delayMs: expect.objectContaining({ type: 'integer' }) }) }),
        outputSchema: expect.objectContaining({ type: 'object', additionalProperties: true }),
      },
    ]);
    // What the Kafka transport would do with it: encode, then decode on the capabilities topic.
    expect(decode(topics.capabilities(), encode(announcement))).toEqual({ ok: true, message: announcement });
  });

  it('re-announces every interval with a fresh envelope, and stops when the module is destroyed', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    try {
      const announcements = await listen(bus);
      announcer = new CapabilityAnnouncer(bus, topics, { settings, tools: [] });
      await announcer.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(20 * 3);
      expect(announcements.received).toHaveLength(4);
      expect(new Set(announcements.received.map((delivery) => delivery.message.id)).size).toBe(4);

      announcer.onModuleDestroy();
      await jest.advanceTimersByTimeAsync(20 * 10);
      expect(announcements.received).toHaveLength(4);
    } finally {
      jest.useRealTimers();
    }
  });

  it('defaults to a 10 s interval and a 30 s ttl, and announces the configured concurrency', () => {
    const { announceIntervalMs: _interval, ...withoutInterval } = settings;
    const message = new CapabilityAnnouncer(bus, topics, { settings: withoutInterval, tools: [] }).announcement();
    expect(message.ttlMs).toBe(DEFAULT_ANNOUNCE_INTERVAL_MS * ANNOUNCEMENT_TTL_INTERVALS);
    expect(message.concurrency).toBe(4);
  });

  it('survives a failed publish and announces again at the next interval', async () => {
    const announcements = await listen(bus);
    let failures = 1;
    const flaky: MessageBus = Object.create(bus, {
      publish: { value: (messages: Parameters<MessageBus['publish']>[0]) => (failures-- > 0 ? Promise.reject(new Error('broker down')) : bus.publish(messages)) },
    });
    announcer = new CapabilityAnnouncer(flaky, topics, { settings, tools: [] });
    await expect(announcer.onApplicationBootstrap()).resolves.toBeUndefined();
    expect((await announcements.next()).key).toBe('io-test-1');
  });
});

describe('WorkerModule', () => {
  it('starts the announcer with the application and stops it on close', async () => {
    const bus = new InProcessBus();
    await bus.connect();
    const announcements = await listen(bus);
    const moduleRef = await Test.createTestingModule({
      imports: [BusModule.forRoot(bus, topics), WorkerModule.forRoot({ settings: { ...settings, announceIntervalMs: 60_000 }, tools: [] })],
    }).compile();
    const app = await moduleRef.init();
    try {
      const announcement = (await announcements.next()).message as CapabilitiesMessage;
      expect(announcement.tools.map((tool) => tool.name)).toEqual(['noop']);
      expect(announcement.concurrency).toBe(4);
    } finally {
      await app.close();
      await bus.close();
    }
  });
});
