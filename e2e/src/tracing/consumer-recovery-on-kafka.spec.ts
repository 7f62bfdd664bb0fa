import { TaskMessage, TopicRegistry } from '@agentos/contracts';
import { Delivery, KafkaBus, MessageBus, Subscription } from '@agentos/runtime';
import { deferred, sampleTask, uniqueName, waitFor } from '@agentos/test-kit';
import { Admin, Consumer, ConsumerConfig, ConsumerRunConfig, Kafka, KafkaJSNonRetriableError } from 'kafkajs';
import { freshRegistry, plainKafka, testBus } from '../transport/kafka-test-support';

const TIMEOUT_MS = 45_000;
jest.setTimeout(3 * TIMEOUT_MS);

type Health = ReturnType<MessageBus['health']>['subscriptions'][number];

/**
 * Every kafkajs consumer of one group built from now on, as KafkaBus builds them (through
 * Kafka#consumer): a test can make the next batch of the current one fail, as kafkajs fails
 * on an error it cannot retry, and hold a rebuilt one before it connects.
 */
class ConsumersOfGroup {
  readonly built: Consumer[] = [];
  private failNextBatch = false;
  private readonly connectGates = new Map<number, Promise<void>>();
  private readonly spy: jest.SpyInstance;

  constructor(private readonly groupId: string) {
    const original = Kafka.prototype.consumer;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.spy = jest.spyOn(Kafka.prototype, 'consumer').mockImplementation(function (this: Kafka, config: ConsumerConfig) {
      const consumer = original.call(this, config);
      if (config.groupId === self.groupId) self.instrument(consumer, self.built.push(consumer) - 1);
      return consumer;
    });
  }

  /** The next batch (a non-empty one) of the current consumer throws a KafkaJSNonRetriableError. */
  failTheNextBatch(): void {
    this.failNextBatch = true;
  }

  /** The consumer built `index`-th (0 = the first) waits for `gate` before it connects. */
  holdConnect(index: number, gate: Promise<void>): void {
    this.connectGates.set(index, gate);
  }

  restore(): void {
    this.spy.mockRestore();
  }

  private instrument(consumer: Consumer, index: number): void {
    const run = consumer.run.bind(consumer);
    const connect = consumer.connect.bind(consumer);
    consumer.connect = async () => {
      await this.connectGates.get(index);
      return connect();
    };
    consumer.run = (config?: ConsumerRunConfig) =>
      run({
        ...config,
        eachBatch: async (payload) => {
          if (this.failNextBatch && payload.batch.messages.length > 0) {
            this.failNextBatch = false;
            throw new KafkaJSNonRetriableError('injected: a failure kafkajs does not retry');
          }
          return config!.eachBatch!(payload);
        },
      });
  }
}

describe('a subscription whose kafkajs consumer crashed or stopped, on a real broker', () => {
  let registry: TopicRegistry;
  let topic: string;
  let admin: Admin;
  let bus: KafkaBus;
  let consumers: ConsumersOfGroup;
  let subscription: Subscription | undefined;
  /** Handlers a test holds: released before the subscription closes (which waits for them), whatever the test's outcome. */
  let held: Array<{ resolve: () => void }> = [];

  beforeEach(async () => {
    registry = freshRegistry();
    topic = registry.tasks('io');
    admin = plainKafka().admin();
    await admin.connect();
    bus = testBus(registry);
    await bus.connect();
  });

  afterEach(async () => {
    consumers?.restore();
    for (const handler of held) handler.resolve();
    held = [];
    await subscription?.close();
    subscription = undefined;
    await bus.close();
    await admin.disconnect();
  });

  const subscribe = async (groupId: string, handler: (delivery: Delivery) => Promise<void>): Promise<void> => {
    subscription = await bus.subscribe({ topics: [topic], groupId, maxInFlight: 8 }, handler);
  };
  const publish = (taskId: string, partition: number) => bus.publish([{ topic, key: taskId, message: sampleTask({ taskId }), partition }]);
  const entryOf = (groupId: string): Health | undefined => bus.health().subscriptions.find((entry) => entry.groupId === groupId);
  const committed = async (groupId: string, partition: number): Promise<number> => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(offsets!.partitions.find((entry) => entry.partition === partition)!.offset);
  };

  it(
    'reports a crash that kafkajs gives up on, rebuilds the consumer, redelivers what was not committed and commits nothing of the lost membership',
    async () => {
      const groupId = uniqueName('crashing');
      consumers = new ConsumersOfGroup(groupId);
      const heldDeliveries = [deferred(), deferred()];
      held = heldDeliveries;
      const delivered: Array<{ taskId: string; deliveryCount: number }> = [];
      let heldStarted = 0;
      await subscribe(groupId, async ({ message, deliveryCount }) => {
        const { taskId } = message as TaskMessage;
        delivered.push({ taskId, deliveryCount });
        if (taskId === 'held') await heldDeliveries[heldStarted++]!.promise;
      });
      expect(bus.health().ready).toBe(true);

      // Partition 0: `held` (offset 0) runs and stays unfinished, so nothing of partition 0 is committed.
      await publish('held', 0);
      await waitFor(() => heldStarted === 1, { timeoutMs: TIMEOUT_MS, description: 'held to start' });

      // The batch bringing `trigger` crashes the consumer; its replacement is held before it connects.
      const rebuiltMayConnect = deferred();
      consumers.holdConnect(1, rebuiltMayConnect.promise);
      consumers.failTheNextBatch();
      await publish('trigger', 0);
      const down = await waitFor(() => (entryOf(groupId)?.running === false ? bus.health() : undefined), {
        timeoutMs: TIMEOUT_MS,
        description: 'health to report the crashed consumer',
      });
      expect(down.ready).toBe(false);
      expect(down.reason).toContain(groupId);
      expect(entryOf(groupId)!.reason).toMatch(/crashed.*injected: a failure kafkajs does not retry/);

      rebuiltMayConnect.resolve();
      await waitFor(() => bus.health().ready, { timeoutMs: TIMEOUT_MS, description: 'health to report the rebuilt consumer running' });
      expect(entryOf(groupId)).toMatchObject({ running: true, restarts: 1 });
      expect(consumers.built).toHaveLength(2);

      // Nothing of partition 0 was committed before the crash: the new membership delivers both again.
      await waitFor(() => heldStarted === 2 && delivered.some((entry) => entry.taskId === 'trigger'), {
        timeoutMs: TIMEOUT_MS,
        description: 'held delivered again and trigger delivered',
      });

      // The first delivery of `held` finishes now, under the old membership: it must not be committed.
      heldDeliveries[0]!.resolve();
      // A record of partition 1, handled and committed by the new membership: any commit of the old
      // one would have gone out by the time this one is on the broker (one committer, coalesced).
      await publish('marker', 1);
      await waitFor(async () => (await committed(groupId, 1)) === 1, { timeoutMs: TIMEOUT_MS, description: 'the marker committed' });
      expect(await committed(groupId, 0)).toBeLessThanOrEqual(0);

      heldDeliveries[1]!.resolve();
      await waitFor(async () => (await committed(groupId, 0)) === 2, { timeoutMs: TIMEOUT_MS, description: 'partition 0 committed to its end' });
      expect(bus.health().ready).toBe(true);
    },
    3 * TIMEOUT_MS,
  );

  it(
    'rebuilds a consumer that stopped without crashing, and delivers again',
    async () => {
      const groupId = uniqueName('stopped');
      consumers = new ConsumersOfGroup(groupId);
      const delivered: string[] = [];
      await subscribe(groupId, async ({ message }) => void delivered.push((message as TaskMessage).taskId));
      await publish('before', 0);
      await waitFor(() => delivered.includes('before'), { timeoutMs: TIMEOUT_MS, description: 'the first record' });

      await consumers.built[0]!.stop();
      expect(entryOf(groupId)).toMatchObject({ running: false, reason: expect.stringContaining('stopped') });
      expect(bus.health().ready).toBe(false);

      await waitFor(() => bus.health().ready, { timeoutMs: TIMEOUT_MS, description: 'the consumer rebuilt' });
      expect(entryOf(groupId)).toMatchObject({ running: true, restarts: 1 });
      await publish('after', 1);
      await waitFor(() => delivered.includes('after'), { timeoutMs: TIMEOUT_MS, description: 'a record after the rebuild' });
    },
    3 * TIMEOUT_MS,
  );
});
