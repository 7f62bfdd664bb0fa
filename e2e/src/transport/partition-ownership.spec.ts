import { TaskMessage, TopicRegistry } from '@agentos/contracts';
import { Delivery, KafkaBus, KafkaBusOptions, Subscription } from '@agentos/runtime';
import { deferred, sampleTask, uniqueName, waitFor } from '@agentos/test-kit';
import { Admin, AssignerProtocol, Consumer, Kafka } from 'kafkajs';
import { OwnershipRecorder } from './ownership-recorder';
import { plainKafka, testBus } from './kafka-test-support';

/** Each wait's own limit: under full-suite load a rebalance can take many seconds. */
const TIMEOUT_MS = 45_000;
/** Well within the test's timeout, so a group that never settles fails with what it held. */
const SETTLE_TIMEOUT_MS = 20_000;
const PARTITIONS = 6;
const ALL_PARTITIONS = Array.from({ length: PARTITIONS }, (_, i) => i);
// Above the sum of a test's waits, so a stalled step fails with its own description, not a bare Jest timeout.
jest.setTimeout(4 * TIMEOUT_MS);

/** One member of the group: a bus of its own (another process, in production), subscribed to both topics. */
interface Member {
  readonly name: string;
  readonly bus: KafkaBus;
  readonly clientId: string;
  readonly ownership: OwnershipRecorder;
  readonly received: Delivery[];
  readonly subscription: Subscription;
  /** The kafkajs consumer behind the subscription, to watch what it fetches. */
  readonly consumer: Consumer;
}

describe('partition ownership on a real broker (two co-partitioned topics, 6 partitions each)', () => {
  let registry: TopicRegistry;
  let topics: string[];
  let groupId: string;
  let admin: Admin;
  let log: string[];
  const members: Member[] = [];

  beforeEach(async () => {
    registry = new TopicRegistry({ namespace: uniqueName('own'), workerTypes: ['io', 'logic'], taskPartitions: PARTITIONS });
    topics = [registry.tasks('io'), registry.tasks('logic')];
    groupId = uniqueName('owners');
    log = [];
    admin = plainKafka().admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(members.splice(0).map((member) => member.bus.close()));
    await admin.disconnect();
  });

  const join = async (name: string, extra: Partial<KafkaBusOptions> = {}, prepare?: (ownership: OwnershipRecorder) => void): Promise<Member> => {
    const clientId = uniqueName(name);
    const bus = testBus(registry, { clientId, createTopics: members.length === 0, ...extra });
    const ownership = new OwnershipRecorder(name, log);
    prepare?.(ownership);
    const received: Delivery[] = [];
    const consumers: Consumer[] = [];
    const createConsumer = Kafka.prototype.consumer;
    const spy = jest.spyOn(Kafka.prototype, 'consumer').mockImplementation(function (this: Kafka, config) {
      const consumer = createConsumer.call(this, config);
      consumers.push(consumer);
      return consumer;
    });
    let subscription: Subscription;
    try {
      await bus.connect();
      subscription = await bus.subscribe({ topics, groupId, maxInFlight: 32, ownership }, async (delivery) => void received.push(delivery));
    } finally {
      spy.mockRestore();
    }
    const member: Member = { name, bus, clientId, ownership, received, subscription, consumer: consumers[0]! };
    members.push(member);
    return member;
  };

  const leave = async (member: Member): Promise<void> => {
    await member.subscription.close();
    members.splice(members.indexOf(member), 1);
    await member.bus.close();
  };

  /** Waits until the members' latest assignments are disjoint and cover every partition: the group has settled. */
  const waitUntilSettled = (group: readonly Member[]) =>
    waitFor(
      () => {
        const held = group.flatMap((member) => member.ownership.holds);
        if (held.length === PARTITIONS && new Set(held).size === PARTITIONS) return true;
        // waitFor reports the last error on timeout: what each member held then.
        throw new Error(group.map((member) => `${member.name} holds [${member.ownership.holds.join(',')}]`).join(', '));
      },
      { timeoutMs: SETTLE_TIMEOUT_MS, description: `${group.map((member) => member.name).join(', ')} to share all partitions` },
    );

  /** What the broker says each member holds, per topic. */
  const brokerAssignments = async (): Promise<Map<string, Record<string, number[]>>> => {
    const [group] = (await admin.describeGroups([groupId])).groups;
    return new Map(
      group!.members.map((description) => [description.clientId, AssignerProtocol.MemberAssignment.decode(description.memberAssignment)?.assignment ?? {}]),
    );
  };

  const expectCoPartitioned = async (group: readonly Member[]): Promise<void> => {
    const assignments = await brokerAssignments();
    expect([...assignments.keys()].sort()).toEqual(group.map((member) => member.clientId).sort());
    for (const member of group) {
      const byTopic = assignments.get(member.clientId)!;
      for (const topic of topics) expect([...(byTopic[topic] ?? [])].sort((a, b) => a - b)).toEqual(member.ownership.holds);
    }
  };

  /** One record on every partition of both topics, on the partition named. */
  const publishEverywhere = async (publisher: KafkaBus, label: string): Promise<void> => {
    await publisher.publish(
      topics.flatMap((topic, topicIndex) =>
        ALL_PARTITIONS.map((partition) => ({
          topic,
          key: `${label}-${partition}`,
          partition,
          message: sampleTask({ taskId: `${label}-${topicIndex}-${partition}` }),
        })),
      ),
    );
  };

  const labelled = (member: Member, label: string) => member.received.filter((delivery) => (delivery.message as TaskMessage).taskId.startsWith(`${label}-`));

  it('splits the partitions among two, three, then four members, the same numbers on both topics, and hands them back as members leave', async () => {
    const first = await join('first');
    const second = await join('second');
    await waitUntilSettled([first, second]);
    await expectCoPartitioned([first, second]);
    for (const member of [first, second]) expect(member.ownership.holds).toHaveLength(3);

    const third = await join('third');
    await waitUntilSettled([first, second, third]);
    await expectCoPartitioned([first, second, third]);
    for (const member of [first, second, third]) expect(member.ownership.holds).toHaveLength(2);

    // Four members over six partitions a topic: where kafkajs's round robin splits a partition number.
    const fourth = await join('fourth');
    const quartet = [first, second, third, fourth];
    await waitUntilSettled(quartet);
    await expectCoPartitioned(quartet);
    expect(quartet.map((member) => member.ownership.holds.length).sort()).toEqual([1, 1, 2, 2]);

    // Each record reaches the member holding its partition number, on either topic.
    await publishEverywhere(first.bus, 'four');
    await waitFor(() => quartet.every((member) => labelled(member, 'four').length === 2 * member.ownership.holds.length), {
      timeoutMs: TIMEOUT_MS,
      description: 'every record at the member holding its partition',
    });
    for (const member of quartet) {
      for (const topic of topics) {
        const partitions = labelled(member, 'four')
          .filter((delivery) => delivery.topic === topic)
          .map((delivery) => delivery.partition);
        expect(partitions.sort((a, b) => a - b)).toEqual(member.ownership.holds);
      }
    }

    for (const leaver of [fourth, third]) {
      const held = leaver.ownership.holds;
      await leave(leaver);
      expect(leaver.ownership.revocations.at(-1)).toEqual(held);
    }
    await waitUntilSettled([first, second]);
    await expectCoPartitioned([first, second]);

    const secondHeld = second.ownership.holds;
    await leave(second);
    await waitFor(() => first.ownership.holds.length === PARTITIONS, { timeoutMs: TIMEOUT_MS, description: 'the survivor to hold everything' });
    expect(first.ownership.holds).toEqual(ALL_PARTITIONS);
    expect(second.ownership.revocations.at(-1)).toEqual(secondHeld);
    // The leaver let go before the survivor was told it holds the partitions.
    expect(log.lastIndexOf(`second revoked [${secondHeld.join(',')}]`)).toBeLessThan(log.lastIndexOf(`first assigned [${ALL_PARTITIONS.join(',')}]`));
  });

  it('holds back the records of newly assigned partitions until assigned resolves', async () => {
    const first = await join('first');
    const second = await join('second');
    await waitUntilSettled([first, second]);
    const takenOver = second.ownership.holds;

    const restore = deferred();
    first.ownership.answer = (partitions) => (partitions.length === PARTITIONS ? restore.promise : Promise.resolve());
    const fetchedByFirst = new Set<string>();
    first.consumer.on(first.consumer.events.START_BATCH_PROCESS, ({ payload }) => void fetchedByFirst.add(`${payload.topic}|${payload.partition}`));

    await leave(second);
    await waitFor(() => first.ownership.holds.length === PARTITIONS, { timeoutMs: TIMEOUT_MS, description: 'the survivor to be assigned everything' });
    await publishEverywhere(first.bus, 'moved');

    // The consumer has fetched the records of the partitions it took over: only the gate holds them back.
    await waitFor(() => topics.every((topic) => takenOver.every((partition) => fetchedByFirst.has(`${topic}|${partition}`))), {
      timeoutMs: TIMEOUT_MS,
      description: 'the survivor to fetch the records of the partitions it took over',
    });
    expect(labelled(first, 'moved')).toEqual([]);

    restore.resolve();
    await waitFor(() => labelled(first, 'moved').length === 2 * PARTITIONS, { timeoutMs: TIMEOUT_MS, description: 'every record once assigned resolved' });
  });

  it('calls a failing assigned again until it resolves, keeping its place in the group meanwhile, then delivers', async () => {
    const sessionTimeoutMs = 6_000; // the broker's default group.min.session.timeout.ms
    const publisher = testBus(registry);
    await publisher.connect();
    try {
      await publishEverywhere(publisher, 'waiting');
    } finally {
      await publisher.close();
    }

    let firstCallAt = 0;
    const only = await join('only', { consumer: { sessionTimeoutMs, heartbeatIntervalMs: 500 } }, (ownership) => {
      ownership.answer = async () => {
        firstCallAt ||= Date.now();
        // Fails for longer than the session timeout: the member must keep heartbeating while it waits.
        if (Date.now() - firstCallAt < sessionTimeoutMs + 1_000) throw new Error('state store not reachable yet');
      };
    });
    const memberIds = async () => (await admin.describeGroups([groupId])).groups[0]!.members.map((member) => member.memberId);
    const before = await memberIds();
    expect(before).toHaveLength(1);

    await waitFor(() => labelled(only, 'waiting').length === 2 * PARTITIONS, { timeoutMs: TIMEOUT_MS, description: 'every record once assigned resolved' });
    expect(Date.now() - firstCallAt).toBeGreaterThanOrEqual(sessionTimeoutMs + 1_000);
    expect(only.ownership.assignments.length).toBeGreaterThanOrEqual(6);
    // Every call was a retry of the one assignment: no rebalance, no revocation, the same member.
    expect(new Set(only.ownership.assignments.map((partitions) => partitions.join(',')))).toEqual(new Set([ALL_PARTITIONS.join(',')]));
    expect(only.ownership.revocations).toEqual([]);
    expect(await memberIds()).toEqual(before);
  });

  it('refuses a publish naming a partition the topic does not have, sending none of it, instead of losing the record', async () => {
    const bus = testBus(registry);
    let error: unknown;
    try {
      await bus.connect();
      const [topic] = topics;
      error = await bus
        .publish([
          { topic: topic!, key: 'fine', partition: 0, message: sampleTask({ taskId: 'fine' }) },
          { topic: topic!, key: 'k', partition: PARTITIONS, message: sampleTask({ taskId: 'beyond' }) },
        ])
        .catch((caught: unknown) => caught);
    } finally {
      await bus.close();
    }
    expect(error).toMatchObject({ name: 'TransportError', retriable: false, message: `${topics[0]} has ${PARTITIONS} partitions: there is no partition ${PARTITIONS} (key k)` });
    // Read until the fresh topic's leaders answer; the record on partition 0 was never sent either.
    const partitionZero = await waitFor(async () => (await admin.fetchTopicOffsets(topics[0]!)).find(({ partition }) => partition === 0), {
      timeoutMs: TIMEOUT_MS,
      description: 'the offsets of the topic',
    });
    expect(partitionZero.high).toBe('0');
  });
});
