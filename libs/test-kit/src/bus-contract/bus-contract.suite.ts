import { TaskMessage } from '@agentos/contracts';
import { DeadLetter, Delivery, MessageBus, PartitionOwnershipListener, Subscription, TransportError } from '@agentos/runtime';
import { sampleTask } from '../messages/sample-messages';
import { deferred, uniqueName, waitFor } from '../wait/wait-for';
import { BusFixture } from './bus-fixture';
import { recordSpans } from './span-recorder';

export interface BusContractOptions {
  /** Per-test timeout; broker-backed transports need more. */
  readonly timeoutMs: number;
  /** Transports that carry bytes must dead-letter records that do not decode. */
  readonly carriesBytes: boolean;
  /**
   * Transports with partitions put a record on the partition its publisher names and a member
   * holds some of them; the others deliver everything as partition 0, held by every member.
   */
  readonly partitioned: boolean;
}

/** An ownership listener that records what it is told, in order, with `assigned` answered by `answer`. */
function recordingListener(answer: (call: number) => Promise<void> = async () => undefined): {
  listener: PartitionOwnershipListener;
  events: string[];
  assigned: Array<readonly number[]>;
  revoked: Array<readonly number[]>;
} {
  const events: string[] = [];
  const assigned: Array<readonly number[]> = [];
  const revoked: Array<readonly number[]> = [];
  const listener: PartitionOwnershipListener = {
    assigned: (partitions) => {
      assigned.push([...partitions]);
      events.push('assigned');
      return answer(assigned.length).then(() => void events.push('assigned resolved'));
    },
    revoked: (partitions) => {
      revoked.push([...partitions]);
      events.push('revoked');
    },
  };
  return { listener, events, assigned, revoked };
}

/**
 * The behaviour every MessageBus must have, whatever carries the messages. Run by each
 * transport's own spec with a fixture factory.
 */
export function describeBusContract(
  transport: string,
  createFixture: () => Promise<BusFixture>,
  options: BusContractOptions,
): void {
  describe(`MessageBus contract: ${transport}`, () => {
    let fixture: BusFixture;
    let subscriptions: Subscription[];

    beforeEach(async () => {
      fixture = await createFixture();
      subscriptions = [];
    }, options.timeoutMs);

    afterEach(async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await fixture.dispose();
    }, options.timeoutMs);

    const subscribe = async (
      bus: MessageBus,
      groupId: string,
      handler: (delivery: Delivery) => Promise<void>,
      extra: { maxInFlight?: number; maxDeliveries?: number; startFrom?: 'earliest' | 'latest'; ownership?: PartitionOwnershipListener } = {},
    ): Promise<Subscription> => {
      const subscription = await bus.subscribe(
        {
          topics: [fixture.registry.tasks('io')],
          groupId,
          maxInFlight: extra.maxInFlight ?? 16,
          ...(extra.maxDeliveries !== undefined ? { maxDeliveries: extra.maxDeliveries } : {}),
          ...(extra.startFrom !== undefined ? { startFrom: extra.startFrom } : {}),
          ...(extra.ownership !== undefined ? { ownership: extra.ownership } : {}),
        },
        handler,
      );
      subscriptions.push(subscription);
      return subscription;
    };

    const publishTasks = (bus: MessageBus, tasks: TaskMessage[], headers?: Record<string, string>, partition?: number) =>
      bus.publish(
        tasks.map((task) => ({
          topic: fixture.registry.tasks('io'),
          key: task.taskId,
          message: task,
          ...(headers ? { headers } : {}),
          ...(partition !== undefined ? { partition } : {}),
        })),
      );

    /** Every partition a lone member of a group holds on the test topic. */
    const allPartitions = (): number[] =>
      options.partitioned ? Array.from({ length: fixture.registry.resolve(fixture.registry.tasks('io'))!.partitions }, (_, i) => i) : [0];

    it(
      'delivers a published message with its key and headers',
      async () => {
        const received: Delivery[] = [];
        await subscribe(fixture.bus, uniqueName('g'), async (delivery) => {
          received.push(delivery);
        });
        const task = sampleTask({ taskId: 'only', input: { n: 1, nested: { list: [1, 'two', null] } } });
        await publishTasks(fixture.bus, [task], { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

        await waitFor(() => received.length === 1, { timeoutMs: options.timeoutMs });
        const delivery = received[0];
        expect(delivery!.message).toEqual(task);
        expect(delivery!.key).toBe('only');
        expect(delivery!.topic).toBe(fixture.registry.tasks('io'));
        expect(delivery!.headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
        expect(delivery!.deliveryCount).toBe(1);
      },
      options.timeoutMs,
    );

    it(
      'keeps messages published before anyone subscribed for the first group',
      async () => {
        const tasks = Array.from({ length: 5 }, (_, i) => sampleTask({ taskId: `early-${i}` }));
        await publishTasks(fixture.bus, tasks);
        const seen = new Set<string>();
        await subscribe(fixture.bus, uniqueName('late'), async ({ message }) => {
          seen.add((message as TaskMessage).taskId);
        });
        await waitFor(() => seen.size === 5, { timeoutMs: options.timeoutMs, description: 'all early messages' });
      },
      options.timeoutMs,
    );

    it(
      'starts a new group at the end, skipping older records, when it asks for the latest only',
      async () => {
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'old-signal' })]);
        const seen: string[] = [];
        await subscribe(fixture.bus, uniqueName('latest'), async ({ message }) => void seen.push((message as TaskMessage).taskId), {
          startFrom: 'latest',
        });
        // Where "the end" is gets fixed when the transport first looks; keep publishing until one arrives.
        let probe = 0;
        await waitFor(
          async () => {
            if (seen.length > 0) return true;
            await publishTasks(fixture.bus, [sampleTask({ taskId: `new-${probe++}` })]);
            return false;
          },
          { timeoutMs: options.timeoutMs, intervalMs: 200, description: 'a record published after subscribing' },
        );
        expect(seen.length).toBeGreaterThan(0);
        expect(seen).not.toContain('old-signal');
        expect(seen.every((taskId) => taskId.startsWith('new-'))).toBe(true);
      },
      options.timeoutMs,
    );

    it(
      'gives each record to one member of a group and every record to every group',
      async () => {
        const peer = await fixture.peer();
        const group = uniqueName('pool');
        const first: string[] = [];
        const second: string[] = [];
        const observer: string[] = [];
        await subscribe(fixture.bus, group, async ({ message }) => void first.push((message as TaskMessage).taskId));
        await subscribe(peer, group, async ({ message }) => void second.push((message as TaskMessage).taskId));
        await subscribe(fixture.bus, uniqueName('observer'), async ({ message }) => {
          observer.push((message as TaskMessage).taskId);
        });

        const tasks = Array.from({ length: 60 }, (_, i) => sampleTask({ taskId: `spread-${i}` }));
        await publishTasks(fixture.bus, tasks);

        await waitFor(() => first.length + second.length >= 60 && observer.length >= 60, {
          timeoutMs: options.timeoutMs,
          description: 'both groups to receive every record',
        });
        const all = [...first, ...second];
        expect(new Set(all).size).toBe(60);
        expect(all).toHaveLength(60);
        expect(first.length).toBeGreaterThan(0);
        expect(second.length).toBeGreaterThan(0);
        expect(new Set(observer).size).toBe(60);
      },
      options.timeoutMs,
    );

    it(
      'preserves the order of one key when a subscriber takes one record at a time',
      async () => {
        const order: number[] = [];
        await subscribe(
          fixture.bus,
          uniqueName('ordered'),
          async ({ message }) => void order.push((message as TaskMessage).attempt),
          { maxInFlight: 1 },
        );
        const tasks = Array.from({ length: 30 }, (_, i) => sampleTask({ taskId: 'same-key', attempt: i + 1 }));
        for (const task of tasks) await publishTasks(fixture.bus, [task]);
        await waitFor(() => order.length === 30, { timeoutMs: options.timeoutMs });
        expect(order).toEqual(tasks.map((task) => task.attempt));
      },
      options.timeoutMs,
    );

    it(
      'never hands out more than maxInFlight records at once, and does reach it',
      async () => {
        const limit = 4;
        let inFlight = 0;
        let peak = 0;
        const release = deferred();
        const done: string[] = [];
        await subscribe(
          fixture.bus,
          uniqueName('bounded'),
          async ({ message }) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await release.promise;
            inFlight--;
            done.push((message as TaskMessage).taskId);
          },
          { maxInFlight: limit },
        );
        await publishTasks(fixture.bus, Array.from({ length: 12 }, (_, i) => sampleTask({ taskId: `b-${i}` })));

        await waitFor(() => inFlight === limit, { timeoutMs: options.timeoutMs, description: `${limit} in flight` });
        expect(peak).toBe(limit);
        release.resolve();
        await waitFor(() => done.length === 12, { timeoutMs: options.timeoutMs });
        expect(peak).toBe(limit);
      },
      options.timeoutMs,
    );

    it(
      'gives a record whose handler failed to the handler again',
      async () => {
        const counts: number[] = [];
        await subscribe(fixture.bus, uniqueName('retry'), async ({ deliveryCount }) => {
          counts.push(deliveryCount);
          if (deliveryCount < 3) throw new Error(`failing delivery ${deliveryCount}`);
        });
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'flaky' })]);
        await waitFor(() => counts.length === 3, { timeoutMs: options.timeoutMs });
        expect(counts).toEqual([1, 2, 3]);
      },
      options.timeoutMs,
    );

    it(
      'dead-letters a record that keeps failing and moves on to the next',
      async () => {
        const deadLetters: DeadLetter[] = [];
        const stopListening = fixture.bus.onDeadLetter((deadLetter) => deadLetters.push(deadLetter));
        const handled: string[] = [];
        await subscribe(
          fixture.bus,
          uniqueName('poison'),
          async ({ message }) => {
            const { taskId } = message as TaskMessage;
            if (taskId === 'poison') throw new Error('cannot handle this one');
            handled.push(taskId);
          },
          { maxInFlight: 1, maxDeliveries: 3 },
        );
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'poison' }), sampleTask({ taskId: 'healthy' })]);

        await waitFor(() => deadLetters.length === 1 && handled.includes('healthy'), { timeoutMs: options.timeoutMs });
        expect(deadLetters[0]).toMatchObject({
          topic: fixture.registry.tasks('io'),
          key: 'poison',
          code: 'handler_failed',
          deliveryCount: 3,
        });
        expect(deadLetters[0]!.reason).toContain('cannot handle this one');
        stopListening();
      },
      options.timeoutMs,
    );

    it(
      'waits for in-flight handlers when a subscription closes',
      async () => {
        const release = deferred();
        let started = false;
        let finished = false;
        const subscription = await subscribe(fixture.bus, uniqueName('drain'), async () => {
          started = true;
          await release.promise;
          finished = true;
        });
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'slow' })]);
        await waitFor(() => started, { timeoutMs: options.timeoutMs });

        let closed = false;
        const closing = subscription.close().then(() => {
          closed = true;
        });
        await new Promise((resolve) => setImmediate(resolve));
        expect(closed).toBe(false);
        release.resolve();
        await closing;
        expect(finished).toBe(true);
      },
      options.timeoutMs,
    );

    it(
      'delivers each record with the partition it was read from, the same for one key',
      async () => {
        const received: Delivery[] = [];
        await subscribe(fixture.bus, uniqueName('partitions'), async (delivery) => void received.push(delivery));
        const tasks = Array.from({ length: 12 }, (_, i) => sampleTask({ taskId: `key-${i % 4}`, attempt: i + 1 }));
        await publishTasks(fixture.bus, tasks);

        await waitFor(() => received.length === 12, { timeoutMs: options.timeoutMs, description: 'every record' });
        const partitions = allPartitions();
        for (const delivery of received) expect(partitions).toContain(delivery.partition);
        const partitionOfKey = new Map<string, Set<number>>();
        for (const { key, partition } of received) partitionOfKey.set(key, (partitionOfKey.get(key) ?? new Set()).add(partition));
        for (const keyPartitions of partitionOfKey.values()) expect(keyPartitions.size).toBe(1);
      },
      options.timeoutMs,
    );

    it(
      'says how many partitions a topic has',
      async () => {
        expect(await fixture.bus.partitionCount(fixture.registry.tasks('io'))).toBe(allPartitions().length);
      },
      options.timeoutMs,
    );

    it(
      'delivers each record with its offset: distinct within a partition, and in publish order for one key',
      async () => {
        const received: Delivery[] = [];
        await subscribe(fixture.bus, uniqueName('offsets'), async (delivery) => void received.push(delivery), { maxInFlight: 1 });
        const tasks = Array.from({ length: 12 }, (_, i) => sampleTask({ taskId: `key-${i % 3}`, attempt: i + 1 }));
        await publishTasks(fixture.bus, tasks);

        await waitFor(() => received.length === 12, { timeoutMs: options.timeoutMs, description: 'every record' });
        const seen = new Set(received.map(({ partition, offset }) => `${partition}@${offset}`));
        expect(seen.size).toBe(12);
        for (const key of ['key-0', 'key-1', 'key-2']) {
          const ofKey = received.filter((delivery) => delivery.key === key);
          const byAttempt = [...ofKey].sort((a, b) => (a.message as TaskMessage).attempt - (b.message as TaskMessage).attempt);
          const offsets = byAttempt.map((delivery) => delivery.offset);
          expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
          for (const offset of offsets) expect(Number.isInteger(offset) && offset >= 0).toBe(true);
        }
      },
      options.timeoutMs,
    );

    it(
      options.partitioned ? 'puts a record on the partition its publisher names, whatever its key' : 'accepts an explicit partition and ignores it',
      async () => {
        const received: Delivery[] = [];
        await subscribe(fixture.bus, uniqueName('explicit'), async (delivery) => void received.push(delivery));
        const named = allPartitions().at(-1)!;
        const tasks = Array.from({ length: 8 }, (_, i) => sampleTask({ taskId: `explicit-${i}` }));
        await publishTasks(fixture.bus, tasks, undefined, named);

        await waitFor(() => received.length === 8, { timeoutMs: options.timeoutMs, description: 'every record' });
        expect(received.map((delivery) => delivery.partition)).toEqual(Array(8).fill(options.partitioned ? named : 0));
      },
      options.timeoutMs,
    );

    it.each([-1, 1.5, Number.NaN])(
      'rejects the explicit partition %p as a non-retriable TransportError',
      async (partition) => {
        const error: unknown = await publishTasks(fixture.bus, [sampleTask()], undefined, partition).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TransportError);
        expect(error).toMatchObject({ retriable: false, message: expect.stringContaining('non-negative integer') });
      },
      options.timeoutMs,
    );

    it(
      'tells the ownership listener every partition the member holds before the first delivery',
      async () => {
        await publishTasks(fixture.bus, Array.from({ length: 6 }, (_, i) => sampleTask({ taskId: `owned-${i}` })));
        const { listener, events, assigned } = recordingListener();
        const received: Delivery[] = [];
        await subscribe(
          fixture.bus,
          uniqueName('owner'),
          async (delivery) => {
            received.push(delivery);
            events.push('delivery');
          },
          { ownership: listener },
        );
        expect(assigned.length).toBeGreaterThanOrEqual(1);

        await waitFor(() => received.length === 6, { timeoutMs: options.timeoutMs, description: 'every record' });
        expect(events.slice(0, 2)).toEqual(['assigned', 'assigned resolved']);
        expect(assigned.at(-1)).toEqual(allPartitions());
        for (const delivery of received) expect(assigned.at(-1)).toContain(delivery.partition);
      },
      options.timeoutMs,
    );

    it(
      'holds back records until assigned resolves, published while it is pending',
      async () => {
        const restored = deferred();
        const { listener, assigned } = recordingListener(() => restored.promise);
        const gated: string[] = [];
        await subscribe(fixture.bus, uniqueName('gated'), async ({ message }) => void gated.push((message as TaskMessage).taskId), {
          ownership: listener,
        });
        expect(assigned).toHaveLength(1);
        // A group of its own with no listener shows when the records are there to be taken.
        const ungated: string[] = [];
        await subscribe(fixture.bus, uniqueName('ungated'), async ({ message }) => void ungated.push((message as TaskMessage).taskId));

        await publishTasks(fixture.bus, Array.from({ length: 3 }, (_, i) => sampleTask({ taskId: `pending-${i}` })));
        await waitFor(() => ungated.length === 3, { timeoutMs: options.timeoutMs, description: 'the ungated group to get every record' });
        expect(gated).toEqual([]);

        restored.resolve();
        await waitFor(() => gated.length === 3, { timeoutMs: options.timeoutMs, description: 'the gated group once assigned resolved' });
        expect(gated.sort()).toEqual(['pending-0', 'pending-1', 'pending-2']);
      },
      options.timeoutMs,
    );

    it(
      'calls a rejecting assigned again and delivers once it resolves',
      async () => {
        const { listener, events, assigned } = recordingListener(async (call) => {
          if (call < 3) throw new Error(`restore attempt ${call} failed`);
        });
        const received: string[] = [];
        await subscribe(
          fixture.bus,
          uniqueName('retried'),
          async ({ message }) => {
            received.push((message as TaskMessage).taskId);
            events.push('delivery');
          },
          { ownership: listener },
        );
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'after-retries' })]);

        await waitFor(() => received.length === 1, { timeoutMs: options.timeoutMs, description: 'the record after assigned resolved' });
        expect(assigned).toHaveLength(3);
        expect(new Set(assigned.map((partitions) => partitions.join(',')))).toEqual(new Set([allPartitions().join(',')]));
        expect(events).toEqual(['assigned', 'assigned', 'assigned', 'assigned resolved', 'delivery']);
      },
      options.timeoutMs,
    );

    it(
      'revokes every partition it held when the subscription closes, after draining',
      async () => {
        const { listener, assigned, revoked } = recordingListener();
        const release = deferred();
        let started = false;
        const subscription = await subscribe(
          fixture.bus,
          uniqueName('revoked'),
          async () => {
            started = true;
            await release.promise;
          },
          { ownership: listener },
        );
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'draining' })]);
        await waitFor(() => started, { timeoutMs: options.timeoutMs, description: 'the handler to start' });

        const closing = subscription.close();
        await new Promise((resolve) => setImmediate(resolve));
        expect(revoked).toEqual([]);
        release.resolve();
        await closing;
        expect(revoked).toEqual([assigned.at(-1)]);
        expect(revoked[0]).toEqual(allPartitions());
      },
      options.timeoutMs,
    );

    it(
      'carries every header a record was published with, and none when it had none',
      async () => {
        const received = new Map<string, Delivery>();
        await subscribe(fixture.bus, uniqueName('headers'), async (delivery) => void received.set(delivery.key, delivery));
        const headers = { 'x-tenant': 'acme', 'x-empty': '', 'x-unicode': 'größe ✓', tracestate: 'vendor=value' };
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'with-headers' })], headers);
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'without-headers' })]);

        await waitFor(() => received.size === 2, { timeoutMs: options.timeoutMs, description: 'both records' });
        expect(received.get('with-headers')!.headers).toEqual(headers);
        expect(received.get('without-headers')!.headers).toEqual({});
      },
      options.timeoutMs,
    );

    it(
      'delivers a failed record again with the same headers',
      async () => {
        const deliveries: Delivery[] = [];
        await subscribe(fixture.bus, uniqueName('redelivered-headers'), async (delivery) => {
          deliveries.push(delivery);
          if (delivery.deliveryCount === 1) throw new Error('first delivery fails');
        });
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'again' })], { 'x-request-id': 'r-1' });

        await waitFor(() => deliveries.length === 2, { timeoutMs: options.timeoutMs, description: 'the second delivery' });
        expect(deliveries.map((delivery) => delivery.headers['x-request-id'])).toEqual(['r-1', 'r-1']);
      },
      options.timeoutMs,
    );

    it(
      'reports itself ready with every subscription running, and drops a subscription once closed',
      async () => {
        const group = uniqueName('healthy');
        const subscription = await subscribe(fixture.bus, group, async () => undefined);

        const health = fixture.bus.health();
        expect(health.ready).toBe(true);
        expect(health.reason).toBeUndefined();
        expect(health.subscriptions).toContainEqual(expect.objectContaining({ groupId: group, topics: [fixture.registry.tasks('io')], running: true }));

        await subscription.close();
        expect(fixture.bus.health().subscriptions.map((entry) => entry.groupId)).not.toContain(group);
      },
      options.timeoutMs,
    );

    it(
      'reports itself not ready, with why, once closed',
      async () => {
        await fixture.bus.close();
        const health = fixture.bus.health();
        expect(health.ready).toBe(false);
        expect(health.reason).toEqual(expect.any(String));
      },
      options.timeoutMs,
    );

    it(
      "reports a group's lag growing while its handler is blocked, and falling to zero once it catches up",
      async () => {
        const group = uniqueName('lagging');
        const topic = fixture.registry.tasks('io');
        const release = deferred();
        let handled = 0;
        await subscribe(
          fixture.bus,
          group,
          async () => {
            await release.promise;
            handled++;
          },
          { maxInFlight: 1 },
        );
        const lagOfGroup = async (): Promise<number> =>
          (await fixture.bus.consumerLag())
            .filter((entry) => entry.groupId === group && entry.topic === topic)
            .reduce((sum, entry) => sum + entry.lag, 0);
        expect(await lagOfGroup()).toBe(0);

        await publishTasks(fixture.bus, Array.from({ length: 5 }, (_, i) => sampleTask({ taskId: `lag-${i}` })));
        await waitFor(async () => (await lagOfGroup()) === 5, { timeoutMs: options.timeoutMs, intervalMs: 50, description: 'a lag of 5' });
        const lags = await fixture.bus.consumerLag();
        for (const entry of lags.filter((each) => each.groupId === group)) {
          expect(allPartitions()).toContain(entry.partition);
          expect(entry.lag).toBeGreaterThanOrEqual(0);
        }

        release.resolve();
        await waitFor(async () => handled === 5 && (await lagOfGroup()) === 0, {
          timeoutMs: options.timeoutMs,
          intervalMs: 50,
          description: 'the lag to fall to 0',
        });
      },
      options.timeoutMs,
    );

    it(
      'with tracing on, carries the trace context: the consumer span of a record is a child of its producer span',
      async () => {
        const recorder = recordSpans();
        try {
          const topic = fixture.registry.tasks('io');
          const received: Delivery[] = [];
          await subscribe(fixture.bus, uniqueName('traced'), async (delivery) => void received.push(delivery));
          await publishTasks(fixture.bus, [sampleTask({ goalId: 'traced-goal', taskId: 'traced-task' })], { 'x-kept': 'yes' });

          await waitFor(() => recorder.named(`${topic} process`).length === 1, { timeoutMs: options.timeoutMs, description: 'the consumer span' });
          const [producer] = recorder.named(`${topic} send`);
          const [consumer] = recorder.named(`${topic} process`);
          expect(consumer!.spanContext().traceId).toBe(producer!.spanContext().traceId);
          expect(consumer!.parentSpanContext?.spanId).toBe(producer!.spanContext().spanId);
          expect(consumer!.attributes).toMatchObject({
            'messaging.system': fixture.bus.transport,
            'messaging.destination.name': topic,
            'agentos.goal_id': 'traced-goal',
            'agentos.task_id': 'traced-task',
            'agentos.message_kind': 'task',
          });
          expect(received[0]!.headers).toEqual({
            'x-kept': 'yes',
            traceparent: `00-${producer!.spanContext().traceId}-${producer!.spanContext().spanId}-01`,
          });
        } finally {
          await recorder.stop();
        }
      },
      options.timeoutMs,
    );

    // Only transports that carry bytes can receive a record that is not a message at all.
    if (options.carriesBytes) {
    it(
      'dead-letters records that are not valid messages and delivers the valid ones around them',
      async () => {
        if (!fixture.injectRaw) throw new Error(`the ${transport} fixture must provide injectRaw`);
        const deadLetters: DeadLetter[] = [];
        fixture.bus.onDeadLetter((deadLetter) => deadLetters.push(deadLetter));
        const handled: string[] = [];
        await subscribe(fixture.bus, uniqueName('validating'), async ({ message }) => {
          handled.push((message as TaskMessage).taskId);
        });
        const topic = fixture.registry.tasks('io');
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'before' })]);
        await fixture.injectRaw(topic, 'junk', Buffer.from('not json at all'));
        await fixture.injectRaw(topic, 'wrong', Buffer.from(JSON.stringify({ ...sampleTask(), attempt: 'first' })));
        await fixture.injectRaw(topic, 'kind', Buffer.from(JSON.stringify({ ...sampleTask(), kind: 'gossip' })));
        await publishTasks(fixture.bus, [sampleTask({ taskId: 'after' })]);

        await waitFor(() => deadLetters.length === 3 && handled.length === 2, { timeoutMs: options.timeoutMs });
        expect(handled.sort()).toEqual(['after', 'before']);
        expect(deadLetters.map((deadLetter) => deadLetter.code).sort()).toEqual([
          'malformed_json',
          'schema_violation',
          'unknown_kind',
        ]);
      },
      options.timeoutMs,
    );
    }
  });
}
