import { encode, TaskMessage, TopicRegistry } from '@agentos/contracts';
import { DeadLetter, DLQ_HEADERS, KafkaBus, MessageBus, Subscription } from '@agentos/runtime';
import { deferred, sampleTask, uniqueName, waitFor } from '@agentos/test-kit';
import { Admin, Consumer, IHeaders, Kafka, KafkaMessage, Partitioners, Producer } from 'kafkajs';
import { freshRegistry, plainKafka, testBus } from './kafka-test-support';

const TIMEOUT_MS = 60_000;
jest.setTimeout(TIMEOUT_MS);

describe('KafkaBus on a real broker', () => {
  let registry: TopicRegistry;
  let topic: string;
  let admin: Admin;
  const buses: MessageBus[] = [];
  const subscriptions: Subscription[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    registry = freshRegistry();
    topic = registry.tasks('io');
    admin = plainKafka().admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    await admin.disconnect();
  });

  const connectedBus = async (createTopics = true): Promise<KafkaBus> => {
    const bus = testBus(registry, { createTopics });
    buses.push(bus);
    await bus.connect();
    return bus;
  };

  const subscribe = async (
    bus: MessageBus,
    groupId: string,
    handler: (message: TaskMessage, deliveryCount: number) => Promise<void>,
    extra: { maxInFlight?: number; maxDeliveries?: number } = {},
  ): Promise<Subscription> => {
    const subscription = await bus.subscribe(
      { topics: [topic], groupId, maxInFlight: extra.maxInFlight ?? 16, ...(extra.maxDeliveries ? { maxDeliveries: extra.maxDeliveries } : {}) },
      ({ message, deliveryCount }) => handler(message as TaskMessage, deliveryCount),
    );
    subscriptions.push(subscription);
    return subscription;
  };

  const publishTasks = (bus: MessageBus, tasks: readonly TaskMessage[], key?: string, headers?: Record<string, string>) =>
    bus.publish(tasks.map((task) => ({ topic, key: key ?? task.taskId, message: task, ...(headers ? { headers } : {}) })));

  /** Committed offset of the group per partition of the test topic ('-1' where nothing is committed). */
  const committedOffsets = async (groupId: string): Promise<Map<number, string>> => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(offsets!.partitions.map(({ partition, offset }) => [partition, offset]));
  };

  /** Partition and offset of every record on the test topic, from its high watermarks. */
  const highWatermarks = async (): Promise<Map<number, string>> =>
    new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, high]));

  const connectedProducer = async (): Promise<Producer> => {
    const producer = plainKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    return producer;
  };

  /** Reads `count` records of a topic from the start with a consumer of its own. */
  const readRecords = async (kafka: Kafka, fromTopic: string, count: number): Promise<KafkaMessage[]> => {
    const records: KafkaMessage[] = [];
    const consumer: Consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topics: [fromTopic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void records.push(message) });
    await waitFor(() => records.length >= count, { timeoutMs: TIMEOUT_MS, description: `${count} records on ${fromTopic}` });
    return records;
  };

  const sameOffsets = (left: Map<number, string>, right: Map<number, string>): boolean =>
    left.size === right.size && [...left].every(([partition, offset]) => right.get(partition) === offset);

  const header = (headers: IHeaders | undefined, name: string): string | undefined => headers?.[name]?.toString();

  it('dead-letters the original bytes, key and headers, with where the record came from and why', async () => {
    const bus = await connectedBus();
    const deadLetters: DeadLetter[] = [];
    bus.onDeadLetter((deadLetter) => deadLetters.push(deadLetter));
    const longReason = `cannot handle this one: ${'é'.repeat(3_000)}`;
    await subscribe(
      bus,
      uniqueName('dlq'),
      async (message) => {
        if (message.taskId === 'poison') throw new Error(longReason);
      },
      { maxDeliveries: 2 },
    );

    const poison = sampleTask({ taskId: 'poison' });
    await publishTasks(bus, [poison], undefined, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const producer = await connectedProducer();
    const junkBytes = Buffer.from([0x6e, 0x6f, 0x74, 0x20, 0x6a, 0x73, 0x6f, 0x6e, 0xff, 0x00]);
    const [junkMetadata] = await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'junk', value: junkBytes, headers: { 'x-origin': 'raw-producer' } }],
    });

    await waitFor(() => deadLetters.length === 2, { timeoutMs: TIMEOUT_MS, description: 'two dead letters' });
    const records = await readRecords(plainKafka(), registry.dlq(), 2);
    const byKey = new Map(records.map((record) => [record.key!.toString(), record]));

    const poisonRecord = byKey.get('poison')!;
    expect(poisonRecord.value).toEqual(encode(poison));
    expect(header(poisonRecord.headers, DLQ_HEADERS.code)).toBe('handler_failed');
    expect(header(poisonRecord.headers, DLQ_HEADERS.deliveryCount)).toBe('2');
    expect(header(poisonRecord.headers, DLQ_HEADERS.sourceTopic)).toBe(topic);
    expect(header(poisonRecord.headers, 'traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    const reasonBytes = poisonRecord.headers![DLQ_HEADERS.reason] as Buffer;
    expect(reasonBytes.length).toBeLessThanOrEqual(1_024);
    expect(reasonBytes.length).toBeGreaterThan(1_000);
    expect(longReason.startsWith(reasonBytes.toString('utf8'))).toBe(true);
    const poisonPartition = Number(header(poisonRecord.headers, DLQ_HEADERS.sourcePartition));
    expect((await highWatermarks()).get(poisonPartition)).not.toBe('0');
    expect(header(poisonRecord.headers, DLQ_HEADERS.sourceOffset)).toMatch(/^\d+$/);

    const junkRecord = byKey.get('junk')!;
    expect(junkRecord.value).toEqual(junkBytes);
    expect(header(junkRecord.headers, DLQ_HEADERS.code)).toBe('malformed_json');
    expect(header(junkRecord.headers, DLQ_HEADERS.deliveryCount)).toBe('1');
    expect(header(junkRecord.headers, DLQ_HEADERS.sourcePartition)).toBe(String(junkMetadata!.partition));
    expect(header(junkRecord.headers, DLQ_HEADERS.sourceOffset)).toBe(junkMetadata!.baseOffset);
    expect(header(junkRecord.headers, 'x-origin')).toBe('raw-producer');

    expect(deadLetters.find((deadLetter) => deadLetter.key === 'poison')!.reason).toBe(longReason);
  });

  it('gives a failed record to the handler again and commits past it only once it succeeded', async () => {
    const bus = await connectedBus();
    const groupId = uniqueName('redeliver');
    const deliveries: Array<{ id: string; deliveryCount: number }> = [];
    const release = deferred();
    await subscribe(bus, groupId, async (message, deliveryCount) => {
      deliveries.push({ id: message.id, deliveryCount });
      if (deliveryCount < 3) throw new Error(`failing delivery ${deliveryCount}`);
      await release.promise;
    });
    const task = sampleTask({ taskId: 'flaky' });
    await publishTasks(bus, [task]);

    await waitFor(() => deliveries.length === 3, { timeoutMs: TIMEOUT_MS, description: 'three deliveries' });
    expect(deliveries).toEqual([1, 2, 3].map((deliveryCount) => ({ id: task.id, deliveryCount })));
    const [partition] = [...(await highWatermarks())].find(([, high]) => high === '1')!;
    expect((await committedOffsets(groupId)).get(partition)).toBe('-1');

    release.resolve();
    await waitFor(async () => (await committedOffsets(groupId)).get(partition) === '1', {
      timeoutMs: TIMEOUT_MS,
      description: 'the offset committed past the record',
    });
    expect(deliveries).toHaveLength(3);
  });

  it('keeps handing out records of a partition behind a slow one and commits only below it', async () => {
    const bus = await connectedBus();
    const groupId = uniqueName('hol');
    const key = 'same-partition';
    const releaseSlow = deferred();
    let slowStarted = false;
    const handled: string[] = [];
    await subscribe(
      bus,
      groupId,
      async (message) => {
        if (message.taskId === 'slow') {
          slowStarted = true;
          await releaseSlow.promise;
        }
        handled.push(message.taskId);
      },
      { maxInFlight: 4 },
    );

    await publishTasks(bus, [sampleTask({ taskId: 'first' })], key);
    const [partition] = [...(await highWatermarks())].find(([, high]) => high === '1')!;
    await waitFor(async () => (await committedOffsets(groupId)).get(partition) === '1', { timeoutMs: TIMEOUT_MS });

    await publishTasks(bus, [sampleTask({ taskId: 'slow' })], key);
    await waitFor(() => slowStarted, { timeoutMs: TIMEOUT_MS, description: 'the slow record to start' });
    // Published after the slow one started, so they arrive in later fetches of the same partition.
    const fast = Array.from({ length: 20 }, (_, i) => sampleTask({ taskId: `fast-${i}` }));
    for (const task of fast) await publishTasks(bus, [task], key);

    await waitFor(() => handled.length === 1 + fast.length, { timeoutMs: TIMEOUT_MS, description: 'every fast record' });
    expect(handled).not.toContain('slow');
    expect((await committedOffsets(groupId)).get(partition)).toBe('1');

    releaseSlow.resolve();
    await waitFor(async () => (await committedOffsets(groupId)).get(partition) === String(2 + fast.length), {
      timeoutMs: TIMEOUT_MS,
      description: 'the offset committed past every record',
    });
  });

  it('resumes after the last committed record when a group member restarts', async () => {
    const groupId = uniqueName('restart');
    const firstBus = await connectedBus();
    const firstRun: string[] = [];
    const firstSubscription = await subscribe(firstBus, groupId, async (message) => void firstRun.push(message.taskId));
    await publishTasks(firstBus, Array.from({ length: 30 }, (_, i) => sampleTask({ taskId: `before-${i}` })));
    await waitFor(() => firstRun.length === 30, { timeoutMs: TIMEOUT_MS });
    await firstSubscription.close();

    // Closing committed everything it finished: each partition's committed offset is its end.
    expect(await committedOffsets(groupId)).toEqual(await highWatermarks());

    await publishTasks(firstBus, Array.from({ length: 30 }, (_, i) => sampleTask({ taskId: `after-${i}` })));
    const secondBus = await connectedBus(false);
    const secondRun: string[] = [];
    await subscribe(secondBus, groupId, async (message) => void secondRun.push(message.taskId));
    await waitFor(async () => secondRun.length >= 30 && sameOffsets(await committedOffsets(groupId), await highWatermarks()), {
      timeoutMs: TIMEOUT_MS,
      description: 'the records published after the restart',
    });
    expect(secondRun.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `after-${i}`).sort());
  });

  it('keeps its group membership while every permit is held by a handler slower than the session timeout', async () => {
    const sessionTimeoutMs = 6_000; // the broker's default group.min.session.timeout.ms
    const bus = testBus(registry, { consumer: { sessionTimeoutMs, heartbeatIntervalMs: 500 } });
    buses.push(bus);
    await bus.connect();
    const groupId = uniqueName('long-task');
    const deliveries: string[] = [];
    let slowFinished = false;
    await subscribe(
      bus,
      groupId,
      async (message) => {
        deliveries.push(message.taskId);
        if (message.taskId === 'long') {
          await new Promise((resolve) => setTimeout(resolve, sessionTimeoutMs + 2_000));
          slowFinished = true;
        }
      },
      { maxInFlight: 1 },
    );
    const members = async () => (await admin.describeGroups([groupId])).groups[0]!.members.map((member) => member.memberId);
    const before = await members();
    expect(before).toHaveLength(1);

    const key = 'one-partition';
    await publishTasks(bus, [sampleTask({ taskId: 'long' }), sampleTask({ taskId: 'after-1' }), sampleTask({ taskId: 'after-2' })], key);
    await waitFor(() => slowFinished && deliveries.length === 3, { timeoutMs: TIMEOUT_MS, description: 'the long task and the ones behind it' });

    expect(deliveries).toEqual(['long', 'after-1', 'after-2']);
    expect(await members()).toEqual(before);
  });

  it('loses nothing when a member joins while records are in flight, and commits every partition to its end', async () => {
    const groupId = uniqueName('rebalance');
    const release = deferred();
    const handled = new Set<string>();
    const slowStarted = new Set<string>();
    const handler = async (message: TaskMessage) => {
      if (message.taskId.startsWith('slow')) {
        slowStarted.add(message.taskId);
        await release.promise;
      }
      handled.add(message.taskId);
    };
    const firstBus = await connectedBus();
    await subscribe(firstBus, groupId, handler, { maxInFlight: 8 });
    const all = [
      ...Array.from({ length: 3 }, (_, i) => sampleTask({ taskId: `slow-${i}` })),
      ...Array.from({ length: 30 }, (_, i) => sampleTask({ taskId: `fast-${i}` })),
    ];
    await publishTasks(firstBus, all);
    await waitFor(() => slowStarted.size === 3 && handled.size === 30, { timeoutMs: TIMEOUT_MS, description: 'fast records done, slow ones running' });

    const secondBus = await connectedBus(false);
    await subscribe(secondBus, groupId, handler, { maxInFlight: 8 });
    release.resolve();

    await waitFor(async () => handled.size === all.length && sameOffsets(await committedOffsets(groupId), await highWatermarks()), {
      timeoutMs: TIMEOUT_MS,
      description: 'every record handled and committed',
    });
  });

  it('sends many concurrent publishes in few produce requests', async () => {
    const producers: Producer[] = [];
    const createProducer = Kafka.prototype.producer;
    const spy = jest.spyOn(Kafka.prototype, 'producer').mockImplementation(function (this: Kafka, config) {
      const producer = createProducer.call(this, config);
      producers.push(producer);
      return producer;
    });
    let bus: KafkaBus;
    try {
      bus = await connectedBus();
    } finally {
      spy.mockRestore();
    }
    expect(producers).toHaveLength(1);
    const producer = producers[0]!;
    let produceRequests = 0;
    producer.on(producer.events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'Produce') produceRequests++;
    });
    const sendBatch = jest.spyOn(producer, 'sendBatch');

    const count = 1_000;
    await Promise.all(Array.from({ length: count }, (_, i) => publishTasks(bus, [sampleTask({ taskId: `burst-${i}` })])));

    const total = [...(await highWatermarks()).values()].reduce((sum, high) => sum + Number(high), 0);
    expect(total).toBe(count);
    // One send when idle, then whatever accumulated meanwhile: 1-2 in practice.
    expect(sendBatch.mock.calls.length).toBeLessThanOrEqual(3);
    expect(produceRequests).toBeLessThanOrEqual(3);
    expect(produceRequests).toBeGreaterThan(0);
  });
});
