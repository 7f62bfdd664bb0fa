import { BusMessage } from '@agentos/contracts';

export type Headers = Readonly<Record<string, string>>;

/** A message to publish. `key` decides the partition (ordering and co-location). */
export interface OutboundMessage {
  readonly topic: string;
  readonly key: string;
  readonly message: BusMessage;
  readonly headers?: Headers;
}

/** A validated message handed to a subscriber. */
export interface Delivery<M extends BusMessage = BusMessage> {
  readonly topic: string;
  readonly key: string;
  readonly message: M;
  readonly headers: Headers;
  /** 1 on first delivery; higher when a failed handler is given the same record again. */
  readonly deliveryCount: number;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

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
}

export interface Subscription {
  /** Stops taking records, waits for in-flight handlers, commits what finished. */
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
  subscribe(options: SubscriptionOptions, handler: DeliveryHandler): Promise<Subscription>;
  /** Observes dead-lettered records (for logs, metrics and tests). */
  onDeadLetter(listener: (deadLetter: DeadLetter) => void): () => void;
  /** Closes every subscription (draining in-flight handlers), then the connection. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_DELIVERIES = 5;
