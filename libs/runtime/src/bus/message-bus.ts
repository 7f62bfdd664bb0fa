import { BusMessage } from '@agentos/contracts';
import { BusHealth, ConsumerLag } from './bus-health';

export type Headers = Readonly<Record<string, string>>;

/** A message to publish. `key` decides the partition (ordering and co-location). */
export interface OutboundMessage {
  readonly topic: string;
  readonly key: string;
  readonly message: BusMessage;
  readonly headers?: Headers;
  /**
   * Puts the record on this partition instead of the one its key hashes to (a member writing
   * to the partition it owns of a co-partitioned topic). A non-negative integer that exists on
   * the topic; Kafka honours it, the in-process bus (which has no partitions) ignores it.
   */
  readonly partition?: number;
}

/** A validated message handed to a subscriber. */
export interface Delivery<M extends BusMessage = BusMessage> {
  readonly topic: string;
  readonly key: string;
  readonly message: M;
  readonly headers: Headers;
  /** The partition the record was read from; always 0 on the in-process bus. */
  readonly partition: number;
  /** The record's offset in its partition (in publish order per topic on the in-process bus). */
  readonly offset: number;
  /** 1 on first delivery; higher when a failed handler is given the same record again. */
  readonly deliveryCount: number;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

/**
 * Told which partitions a subscription's member holds, so it can restore their state before
 * handling their records and stop acting on them once they are gone. With several topics a
 * member holds the same partition numbers on each (the Kafka bus assigns them co-partitioned).
 * The in-process bus has no partitions: every member holds partition 0.
 */
export interface PartitionOwnershipListener {
  /**
   * Every partition number this member holds after an assignment (the union over the
   * subscription's topics); called on every assignment, even an unchanged or empty one. No
   * record of the subscription is handed to the handler until the promise resolves; meanwhile
   * the consumer keeps heartbeating. If it rejects, it is logged and called again after a
   * backoff (100 ms doubling to 5 s) until it resolves, the subscription closes or a newer
   * assignment replaces it. Calls never overlap: a newer assignment's call waits for the
   * previous call to settle. Handlers of records taken before a rebalance may still be running
   * while it is called.
   */
  assigned(partitions: readonly number[]): Promise<void>;
  /**
   * Partitions this member no longer holds: called synchronously when a new assignment drops
   * them (before `assigned`, possibly while an earlier `assigned` is still pending), and with
   * every held partition when the subscription closes (after draining, before leaving the
   * group). Never called with an empty list. Must not throw; a throw is logged.
   */
  revoked(partitions: readonly number[]): void;
}

export interface SubscriptionOptions {
  readonly topics: readonly string[];
  /**
   * Each record goes to one member of a group. Give each instance its own group to
   * receive every record (broadcast topics such as control).
   */
  readonly groupId: string;
  /** Most deliveries handed out at once by this subscription. */
  readonly maxInFlight: number;
  /**
   * Deliveries of one record before it is declared poison and dead-lettered; a handler
   * that throws sees the same record again until then.
   */
  readonly maxDeliveries?: number;
  /**
   * Where a group that has never committed starts: `earliest` (default) so nothing published
   * before a service started is lost; `latest` for broadcast signals a new instance must not
   * replay (old cancels and concurrency changes on the control topic).
   */
  readonly startFrom?: 'earliest' | 'latest';
  /** Told what partitions this member holds; deliveries wait for each assignment's `assigned`. */
  readonly ownership?: PartitionOwnershipListener;
}

export interface Subscription {
  /** Stops taking records, waits for in-flight handlers, commits what finished, then `ownership.revoked`. */
  close(): Promise<void>;
}

/** Why a record was dead-lettered. */
export interface DeadLetter {
  readonly topic: string;
  readonly key: string | undefined;
  readonly code: string;
  readonly reason: string;
  readonly deliveryCount: number;
}

/**
 * Typed publish/subscribe between AgentOS services. Implementations: in-process (the
 * embedded default) and Kafka; both pass the same contract suite (testing/bus-contract.suite.ts).
 * Records that cannot be decoded or keep failing go to the dead-letter topic; subscribers
 * only ever see validated messages.
 */
export interface MessageBus {
  readonly transport: 'in-process' | 'kafka';
  /** Connects and creates the topics the registry declares. Idempotent. */
  connect(): Promise<void>;
  /** Resolves once every message is durably accepted by the transport. */
  publish(messages: readonly OutboundMessage[]): Promise<void>;
  /** How many partitions a topic has (1 on the in-process bus). */
  partitionCount(topic: string): Promise<number>;
  /**
   * Resolves once the member holds its first assignment, `ownership.assigned` (if given)
   * having been called for it: records wait for that promise, `subscribe` does not.
   */
  subscribe(options: SubscriptionOptions, handler: DeliveryHandler): Promise<Subscription>;
  /** Observes dead-lettered records (for logs, metrics and tests). */
  onDeadLetter(listener: (deadLetter: DeadLetter) => void): () => void;
  /**
   * Whether the bus can do its work now (a readiness probe): connected, and every
   * subscription's consumer running. A synchronous snapshot: no I/O.
   */
  health(): BusHealth;
  /**
   * How far each subscription's group is behind, per topic and partition (records not yet
   * committed on Kafka; records queued or running on the in-process bus). Asks the broker:
   * rejects with a retriable TransportError when it does not answer in time.
   */
  consumerLag(): Promise<ConsumerLag[]>;
  /** Closes every subscription (draining in-flight handlers), then the connection. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_DELIVERIES = 5;
