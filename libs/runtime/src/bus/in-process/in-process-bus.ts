import { Logger } from '@nestjs/common';
import { FifoQueue } from '../../concurrency/fifo-queue';
import { handleDelivery } from '../../observability/tracing/delivery-tracing';
import { tracePublish } from '../../observability/tracing/publish-tracing';
import { BusHealth, ConsumerLag } from '../bus-health';
import { assertValidPartitions } from '../explicit-partition';
import {
  DEFAULT_MAX_DELIVERIES,
  DeadLetter,
  Delivery,
  DeliveryHandler,
  MessageBus,
  OutboundMessage,
  Subscription,
  SubscriptionOptions,
} from '../message-bus';
import { PartitionOwnership } from '../partition-ownership';
import { redeliveryDelayMs } from '../redelivery-backoff';

/** The in-process bus has no partitions: every record is on, and every member holds, partition 0. */
const THE_PARTITION = 0;

interface QueuedRecord {
  readonly topic: string;
  readonly key: string;
  readonly message: OutboundMessage['message'];
  readonly headers: Readonly<Record<string, string>>;
  readonly offset: number;
  deliveryCount: number;
}

/** One subscription: shared capacity across the groups (one per topic) it belongs to. */
class Member {
  inFlight = 0;
  closed = false;
  readonly running = new Set<Promise<void>>();
  readonly groups: ConsumerGroup[] = [];

  constructor(
    readonly groupId: string,
    readonly topics: readonly string[],
    readonly handler: DeliveryHandler,
    readonly maxInFlight: number,
    readonly maxDeliveries: number,
    readonly ownership: PartitionOwnership,
  ) {}

  get hasCapacity(): boolean {
    return !this.closed && this.ownership.isReady && this.inFlight < this.maxInFlight;
  }
}

/** A (topic, group) pair: one queue, shared by its members, each record to one member. */
class ConsumerGroup {
  readonly queue = new FifoQueue<QueuedRecord>();
  readonly members: Member[] = [];
  /** Records handed to a member whose handler has not finished (redeliveries included). */
  inFlight = 0;
  private nextMember = 0;

  constructor(
    readonly topic: TopicState,
    readonly groupId: string,
  ) {}

  pickMember(): Member | undefined {
    for (let i = 0; i < this.members.length; i++) {
      const member = this.members[(this.nextMember + i) % this.members.length]!;
      if (member.hasCapacity) {
        this.nextMember = (this.nextMember + i + 1) % this.members.length;
        return member;
      }
    }
    return undefined;
  }
}

interface TopicState {
  readonly groups: Map<string, ConsumerGroup>;
  /** Records published before any group subscribed: handed to the first group, as Kafka retains them. */
  readonly backlog: FifoQueue<QueuedRecord>;
  /** The next record's offset: records are numbered in publish order, per topic, as on Kafka's one partition. */
  nextOffset: number;
}

/**
 * The embedded transport: one process, no broker, no serialisation. Messages are the
 * typed objects the publisher built (already validated where they entered the process).
 * Same semantics as the Kafka bus: consumer groups, at-least-once with redelivery of a
 * failed record to the same handler, bounded in-flight per subscription, dead-lettering
 * after `maxDeliveries`, draining close, partition ownership (one partition, 0, held by
 * every member: nothing is delivered to a member before its `assigned([0])` resolved).
 */
export class InProcessBus implements MessageBus {
  readonly transport = 'in-process' as const;
  private readonly logger = new Logger(InProcessBus.name);
  private readonly topics = new Map<string, TopicState>();
  private readonly dirtyGroups = new Set<ConsumerGroup>();
  private readonly members = new Set<Member>();
  private readonly deadLetterListeners = new Set<(deadLetter: DeadLetter) => void>();
  private pumpScheduled = false;
  private closed = false;
  private connected = false;

  async connect(): Promise<void> {
    this.closed = false;
    this.connected = true;
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(1);
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.closed) throw new Error('in-process bus is closed');
    assertValidPartitions(messages);
    const traced = tracePublish(this.transport, messages);
    for (const outbound of traced?.messages ?? messages) {
      const topic = this.topic(outbound.topic);
      const record: QueuedRecord = {
        topic: outbound.topic,
        key: outbound.key,
        message: outbound.message,
        headers: outbound.headers ?? {},
        offset: topic.nextOffset++,
        deliveryCount: 0,
      };
      if (topic.groups.size === 0) {
        topic.backlog.push(record);
        continue;
      }
      let first = true;
      for (const group of topic.groups.values()) {
        group.queue.push(first ? record : { ...record });
        first = false;
        this.dirtyGroups.add(group);
      }
    }
    // Accepted once queued: the in-process bus has nothing more durable to wait for.
    traced?.end();
    this.schedulePump();
  }

  async subscribe(options: SubscriptionOptions, handler: DeliveryHandler): Promise<Subscription> {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${options.maxInFlight}`);
    }
    const description = `group ${options.groupId} on ${options.topics.join(', ')}`;
    const member: Member = new Member(
      options.groupId,
      options.topics,
      handler,
      options.maxInFlight,
      options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES,
      new PartitionOwnership(options.ownership, description, () => this.wakeGroupsOf(member)),
    );
    for (const topicName of options.topics) {
      const topic = this.topic(topicName);
      let group = topic.groups.get(options.groupId);
      if (!group) {
        group = new ConsumerGroup(topic, options.groupId);
        topic.groups.set(options.groupId, group);
        if (topic.groups.size === 1 && options.startFrom !== 'latest') {
          for (const record of topic.backlog.drain()) group.queue.push(record);
        }
      }
      group.members.push(member);
      member.groups.push(group);
      this.dirtyGroups.add(group);
    }
    this.members.add(member);
    member.ownership.assign([THE_PARTITION]);
    this.schedulePump();
    return { close: () => this.closeMember(member) };
  }

  /** What the bus holds now: consumer groups, records waiting in their queues, records waiting for a first group. */
  stats(): { groups: number; queued: number; backlog: number } {
    let groups = 0;
    let queued = 0;
    let backlog = 0;
    for (const topic of this.topics.values()) {
      backlog += topic.backlog.length;
      for (const group of topic.groups.values()) {
        groups++;
        queued += group.queue.length;
      }
    }
    return { groups, queued, backlog };
  }

  onDeadLetter(listener: (deadLetter: DeadLetter) => void): () => void {
    this.deadLetterListeners.add(listener);
    return () => this.deadLetterListeners.delete(listener);
  }

  /** Ready once connected and until closed; every open subscription runs (nothing here can crash it). */
  health(): BusHealth {
    const subscriptions = [...this.members].map((member) => ({ groupId: member.groupId, topics: member.topics, running: !member.closed }));
    if (!this.connected) return { ready: false, reason: this.closed ? 'the in-process bus is closed' : 'the in-process bus is not connected', subscriptions };
    return { ready: true, subscriptions };
  }

  /** Per group and topic: records queued for it plus records its members are handling. */
  async consumerLag(): Promise<ConsumerLag[]> {
    const lags: ConsumerLag[] = [];
    for (const [topic, state] of this.topics) {
      for (const group of state.groups.values()) {
        lags.push({ groupId: group.groupId, topic, partition: THE_PARTITION, lag: group.queue.length + group.inFlight });
      }
    }
    return lags;
  }

  async close(): Promise<void> {
    this.connected = false;
    await Promise.all([...this.members].map((member) => this.closeMember(member)));
    this.closed = true;
  }

  private topic(name: string): TopicState {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { groups: new Map(), backlog: new FifoQueue(), nextOffset: 0 };
      this.topics.set(name, topic);
    }
    return topic;
  }

  private async closeMember(member: Member): Promise<void> {
    member.closed = true;
    member.ownership.close();
    this.members.delete(member);
    while (member.running.size > 0) await Promise.allSettled([...member.running]);
    for (const group of member.groups) {
      const index = group.members.indexOf(member);
      if (index >= 0) group.members.splice(index, 1);
      if (group.members.length === 0) {
        // Nothing in-process outlives its last member (there is no committed offset to resume
        // from); keeping the group would queue every later record for nobody.
        group.topic.groups.delete(group.groupId);
        this.dirtyGroups.delete(group);
      } else {
        this.dirtyGroups.add(group);
      }
    }
    member.ownership.revokeAll();
    this.schedulePump();
  }

  private wakeGroupsOf(member: Member): void {
    for (const group of member.groups) if (group.queue.length > 0) this.dirtyGroups.add(group);
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => this.pump());
  }

  /** Hands queued records to members with spare capacity. Never re-entered: handlers only enqueue. */
  private pump(): void {
    this.pumpScheduled = false;
    for (const group of this.dirtyGroups) {
      while (group.queue.length > 0) {
        const member = group.pickMember();
        if (!member) break;
        this.deliver(member, group, group.queue.shift()!);
      }
      if (group.queue.length === 0 || group.members.every((member) => member.closed)) this.dirtyGroups.delete(group);
    }
  }

  private deliver(member: Member, group: ConsumerGroup, record: QueuedRecord): void {
    member.inFlight++;
    group.inFlight++;
    const run = this.runHandler(member, group, record).finally(() => {
      member.running.delete(run);
      member.inFlight--;
      group.inFlight--;
      this.wakeGroupsOf(member);
    });
    member.running.add(run);
  }

  private async runHandler(member: Member, group: ConsumerGroup, record: QueuedRecord): Promise<void> {
    for (;;) {
      record.deliveryCount++;
      const delivery: Delivery = {
        topic: record.topic,
        key: record.key,
        message: record.message,
        headers: record.headers,
        partition: THE_PARTITION,
        offset: record.offset,
        deliveryCount: record.deliveryCount,
      };
      try {
        await handleDelivery(this.transport, delivery, member.handler);
        return;
      } catch (error) {
        if (record.deliveryCount >= member.maxDeliveries) {
          this.deadLetter(record, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, redeliveryDelayMs(record.deliveryCount)));
        if (member.closed) {
          group.queue.unshift(record);
          return;
        }
      }
    }
  }

  private deadLetter(record: QueuedRecord, error: unknown): void {
    const deadLetter: DeadLetter = {
      topic: record.topic,
      key: record.key,
      code: 'handler_failed',
      reason: error instanceof Error ? error.message : String(error),
      deliveryCount: record.deliveryCount,
    };
    this.logger.warn(`dead-lettered a ${record.message.kind} from ${record.topic} after ${record.deliveryCount} deliveries: ${deadLetter.reason}`);
    for (const listener of this.deadLetterListeners) listener(deadLetter);
  }
}
