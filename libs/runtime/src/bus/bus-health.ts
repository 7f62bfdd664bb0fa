/** Whether a bus can do its work now: what a readiness probe reports. */
export interface BusHealth {
  /** Connected, and every subscription's consumer running (not crashed, not stopped). */
  readonly ready: boolean;
  /** Why not, when not ready; a short line for operators. */
  readonly reason?: string;
  /** One entry per subscription: its group, topics and state. */
  readonly subscriptions: ReadonlyArray<{
    readonly groupId: string;
    readonly topics: readonly string[];
    readonly running: boolean;
    /** Why the subscription's consumer is not running (joining, crashed and rejoining, closed). */
    readonly reason?: string;
    /** How many times its consumer was rebuilt after it crashed or stopped. */
    readonly restarts?: number;
  }>;
}

/** How far a consumer group is behind on one partition. */
export interface ConsumerLag {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** Records between the group's committed offset and the partition's end. */
  readonly lag: number;
}
