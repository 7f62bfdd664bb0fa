import { Logger } from '@nestjs/common';
import { decode } from '@agentos/contracts';
import { Consumer, EachBatchPayload, IMemberAssignment, KafkaMessage } from 'kafkajs';
import { Semaphore } from '../../concurrency/semaphore';
import { TransportError } from '../../errors/agentos-error';
import { handleDelivery } from '../../observability/tracing/delivery-tracing';
import { DeliveryHandler, PartitionOwnershipListener } from '../message-bus';
import { PartitionOwnership } from '../partition-ownership';
import { redeliveryDelayMs } from '../redelivery-backoff';
import { ConsumerStatus, ConsumerStatusSnapshot, rebuildDelayMs } from './consumer-status';
import { DeadLetterPublisher, DeadLetterSource } from './dead-letter-publisher';
import { ConsumerTuning } from './kafka-bus.options';
import { OffsetCommitter } from './offset-committer';
import { PartitionProgress, TrackedRecord } from './partition-progress';
import { toStringHeaders } from './record-headers';

/**
 * How often a batch waiting for a free permit or for `ownership.assigned` heartbeats, so slow
 * handlers and a slow restore do not cost the group membership.
 */
const HEARTBEAT_WHILE_WAITING_MS = 1_000;
const MAX_DEAD_LETTER_RETRY_MS = 10_000;
/**
 * A crash stops the consumer (STOP) and then reports itself (CRASH), which starts the rebuild;
 * a STOP that no CRASH follows within this grace is rebuilt from too.
 */
const STOP_WITHOUT_CRASH_GRACE_MS = 5_000;
/** Longest wait for a lost consumer to disconnect before its replacement is built anyway. */
const DISCONNECT_TIMEOUT_MS = 10_000;

/** Builds a fresh kafkajs consumer of the subscription's group (the first one, and each rebuild). */
export type ConsumerFactory = () => Consumer;

export interface ConsumerRunnerSettings {
  readonly topics: readonly string[];
  readonly groupId: string;
  readonly maxInFlight: number;
  readonly maxDeliveries: number;
  readonly startFrom: 'earliest' | 'latest';
  readonly ownership: PartitionOwnershipListener | undefined;
  readonly tuning: ConsumerTuning;
}

/**
 * One subscription: a kafkajs consumer in its group, handing records to the handler with
 * at most `maxInFlight` running at once across all its partitions.
 *
 * Fetching and committing are decoupled. Each record is resolved in kafkajs as soon as it is
 * handed out, so a batch returns once its records are running and the next fetch proceeds:
 * a slow record holds one permit, not its partition (kafkajs fetches a broker's partitions
 * only after every batch of the previous fetch returned, so waiting inside a batch would
 * stall all of them). What is committed is tracked here instead: per partition, the lowest
 * unfinished record (PartitionProgress), committed by the OffsetCommitter as it advances.
 *
 * Each assignment (kafkajs GROUP_JOIN, emitted before the new generation's first fetch) is told
 * to the ownership listener; no record is handed out until its `assigned` resolved.
 *
 * A consumer that crashes or stops has left its group: whatever kafkajs would do next (restart
 * it, give up on it, restart it in a loop), the runner drops every partition's progress (their
 * uncommitted records are delivered again, here or to another member; nothing of the lost
 * membership is committed under the next one), tells the ownership listener the partitions are
 * revoked, and rebuilds a fresh consumer with backoff until it rejoins or the subscription
 * closes. `status` says meanwhile that it is not running, and why.
 */
export class ConsumerRunner {
  private readonly logger = new Logger(ConsumerRunner.name);
  private readonly permits: Semaphore;
  private readonly committer: OffsetCommitter;
  private readonly ownership: PartitionOwnership;
  private readonly progress = new Map<string, Map<number, PartitionProgress>>();
  private readonly state = new ConsumerStatus();
  /** Wakes every wait (for a permit, a redelivery delay, a rebuild backoff) when the runner stops. */
  private readonly wakers = new Set<() => void>();
  private consumer: Consumer;
  /** Numbers the consumers this runner built; a batch or an event of an older one is not acted on. */
  private generation = 0;
  private stopListening: Array<() => void> = [];
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private onFirstAssignment: (() => void) | undefined;
  private failAssignmentWait: ((error: TransportError) => void) | undefined;
  private rebuilding: Promise<void> | undefined;
  private stopGraceTimer: NodeJS.Timeout | undefined;
  /** Set once the first consumer joined: from then on a lost consumer is rebuilt (before, start() handles it). */
  private started = false;
  private stopping = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly createConsumer: ConsumerFactory,
    private readonly settings: ConsumerRunnerSettings,
    private readonly handler: DeliveryHandler,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    this.permits = new Semaphore(settings.maxInFlight);
    this.committer = new OffsetCommitter(settings.groupId, (offsets) => this.consumer.commitOffsets(offsets), settings.tuning.commitIntervalMs);
    this.ownership = new PartitionOwnership(settings.ownership, `group ${settings.groupId} on ${settings.topics.join(', ')}`);
    this.consumer = this.adopt(createConsumer());
  }

  get groupId(): string {
    return this.settings.groupId;
  }

  get topics(): readonly string[] {
    return this.settings.topics;
  }

  get startFrom(): 'earliest' | 'latest' {
    return this.settings.startFrom;
  }

  /** Whether the consumer is in its group and fetching; if not, why. */
  get status(): ConsumerStatusSnapshot {
    return this.state.snapshot();
  }

  /** Joins the group; resolves once this member holds an assignment, so records published after it are seen. */
  async start(): Promise<void> {
    try {
      // kafkajs may restart a consumer that crashes while joining: that is left to it, up to joinTimeoutMs.
      await this.join(this.consumer, false);
      this.started = true;
    } catch (error) {
      this.stopping = true;
      this.state.closed();
      this.ownership.close();
      this.ownership.revokeAll();
      await this.consumer.disconnect().catch(() => undefined);
      if (error instanceof TransportError) throw error;
      throw new TransportError(
        `subscribing group ${this.settings.groupId} to ${this.settings.topics.join(', ')} failed: ${(error as Error).message}`,
        true,
        { groupId: this.settings.groupId, topics: this.settings.topics },
        error,
      );
    }
  }

  /** Stops taking records, waits for running handlers, commits what finished, leaves the group. */
  close(): Promise<void> {
    this.closing ??= this.drainAndDisconnect();
    return this.closing;
  }

  private async drainAndDisconnect(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.stopGraceTimer);
    this.failAssignmentWait?.(new TransportError(`group ${this.settings.groupId} subscription closed before it was assigned partitions`, false));
    this.ownership.close();
    for (const wake of [...this.wakers]) wake();
    // A rebuild under way stops at its next step; the consumer it leaves is the one disconnected below.
    await this.rebuilding;
    // Paused rather than stopped: the runner keeps heartbeating while handlers drain, and
    // the group still accepts this member's final commit.
    try {
      this.consumer.pause(this.settings.topics.map((topic) => ({ topic })));
    } catch {
      // not running (it crashed): nothing to pause
    }
    await this.whenIdle();
    try {
      await this.committer.flush();
    } catch (error) {
      this.logger.warn(
        `final commit of group ${this.settings.groupId} failed; records finished since the last commit will be delivered again: ${(error as Error).message}`,
      );
    } finally {
      this.committer.stop();
    }
    // Before leaving the group: the next owner is assigned these partitions only once this member left.
    this.ownership.revokeAll();
    this.state.closed();
    await this.consumer.disconnect();
  }

  /** Listens to a new consumer's group events; it becomes the current generation. */
  private adopt(consumer: Consumer): Consumer {
    const generation = ++this.generation;
    const current = (): boolean => generation === this.generation && !this.stopping && this.started;
    this.stopListening = [
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        // Also while closing: a rebalance during the drain must still drop the partitions now owned elsewhere.
        if (generation === this.generation) this.onAssignment(payload.memberAssignment);
      }),
      consumer.on(consumer.events.STOP, () => {
        if (current()) this.onStop();
      }),
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (current()) this.onCrash(payload.error, payload.restart);
      }),
    ];
    return consumer;
  }

  /** Stops acting on the current consumer's events and batches (it is being replaced or closed). */
  private detach(): void {
    for (const stop of this.stopListening) stop();
    this.stopListening = [];
    this.generation++;
  }

  /** Connects, subscribes and runs `consumer`; resolves once it holds an assignment. */
  private async join(consumer: Consumer, failOnAnyCrash: boolean): Promise<void> {
    const generation = this.generation;
    const assigned = this.waitForAssignment(consumer, failOnAnyCrash);
    assigned.catch(() => undefined); // awaited below; kept from counting as unhandled meanwhile
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.settings.topics], fromBeginning: this.settings.startFrom !== 'latest' });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.tuning.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.takeBatch(payload, generation),
      });
    } catch (error) {
      this.failAssignmentWait?.(new TransportError('subscribing failed', true));
      throw error;
    }
    await assigned;
  }

  private onStop(): void {
    this.loseMembership('the consumer stopped');
    clearTimeout(this.stopGraceTimer);
    this.stopGraceTimer = setTimeout(() => {
      if (!this.state.isRunning) this.rebuild('it stopped without crashing');
    }, STOP_WITHOUT_CRASH_GRACE_MS);
  }

  private onCrash(error: Error, kafkajsRestarts: boolean): void {
    const reason = `the consumer crashed (${error.name}: ${error.message})`;
    this.loseMembership(reason);
    this.logger.warn(
      `group ${this.settings.groupId}: ${reason}; kafkajs ${kafkajsRestarts ? 'would restart it' : 'gave up on it'}: rebuilding it, uncommitted records will be delivered again`,
    );
    // kafkajs schedules its own restart right after emitting CRASH; disconnecting the consumer
    // on the next turn cancels it, so no second, unsupervised member joins.
    setImmediate(() => this.rebuild(reason));
  }

  /**
   * The consumer left its group: its partitions may be handed to another member, so nothing
   * tracked under this membership may be committed under the next (the records still running
   * finish, uncommitted, and are delivered again).
   */
  private loseMembership(reason: string): void {
    this.state.lost(reason);
    for (const partitions of this.progress.values()) {
      for (const progress of partitions.values()) {
        progress.revoked = true;
        this.committer.forget(progress);
      }
    }
    this.progress.clear();
    this.ownership.revokeAll();
  }

  private rebuild(why: string): void {
    if (this.stopping || this.rebuilding) return;
    this.rebuilding = this.rebuildUntilJoined(why).finally(() => {
      this.rebuilding = undefined;
    });
  }

  /** Replaces the lost consumer with a fresh one until one joins the group or the runner stops. */
  private async rebuildUntilJoined(why: string): Promise<void> {
    const { groupId } = this.settings;
    for (let attempt = 1; !this.stopping; attempt++) {
      const lost = this.consumer;
      this.detach();
      await disconnectWithin(lost, DISCONNECT_TIMEOUT_MS);
      if (!(await this.pauseUnlessStopping(rebuildDelayMs(attempt - 1)))) return;
      try {
        this.consumer = this.adopt(this.createConsumer());
        await this.join(this.consumer, true);
        if (this.stopping) return;
        this.state.rebuilt();
        this.logger.log(`group ${groupId}: rebuilt its consumer after ${why}; it rejoined (attempt ${attempt})`);
        return;
      } catch (error) {
        if (this.stopping) return;
        const reason = `rebuilding the consumer after ${why} failed (attempt ${attempt}): ${(error as Error).message}`;
        this.state.lost(reason);
        this.logger.warn(`group ${groupId}: ${reason}; trying again in ${rebuildDelayMs(attempt)} ms`);
      }
    }
  }

  private async takeBatch(payload: EachBatchPayload, generation: number): Promise<void> {
    // A batch of a consumer already replaced: it must not stay in the group. A non-retriable error
    // makes kafkajs give up on it (and leave), rather than retry or restart it.
    if (generation !== this.generation) throw new TransportError(`group ${this.settings.groupId}: batch of a replaced consumer`, false);
    const { batch } = payload;
    const progress = this.progressOf(batch.topic, batch.partition);
    const abandoned = (): boolean => this.stopping || generation !== this.generation || progress.revoked || !payload.isRunning() || payload.isStale();
    for (const record of batch.messages) {
      if (abandoned()) return;
      const offset = Number(record.offset);
      if (!progress.wasHandedOut(offset)) {
        if (!this.ownership.isReady && !(await this.waitForOwnership(payload))) return;
        if (!this.permits.tryAcquire() && !(await this.waitForPermit(payload))) return;
        if (abandoned() || !this.ownership.isReady) {
          this.permits.release();
          return;
        }
        this.inFlight++;
        void this.run(batch.topic, batch.partition, record, progress, progress.handOut(offset));
      }
      payload.resolveOffset(record.offset);
    }
  }

  /** Holds a permit (taken by the caller) for the record's whole life, redeliveries included. */
  private async run(topic: string, partition: number, record: KafkaMessage, progress: PartitionProgress, tracked: TrackedRecord): Promise<void> {
    try {
      const finished = await this.process(topic, partition, record);
      if (finished && progress.finish(tracked) && !progress.revoked) this.committer.moved(progress);
    } catch (error) {
      // process() handles handler and DLQ failures itself; left unfinished, the record stays uncommitted.
      this.logger.error(`unexpected failure processing ${topic}[${partition}]@${record.offset}: ${(error as Error).message}`, (error as Error).stack);
    } finally {
      this.permits.release();
      if (--this.inFlight === 0) this.notifyIdle();
    }
  }

  /** True once the record is done with (handled or dead-lettered); false when abandoned because the runner stops. */
  private async process(topic: string, partition: number, record: KafkaMessage): Promise<boolean> {
    const decoded = decode(topic, record.value);
    if (!decoded.ok) {
      return this.deadLetter({ topic, partition, record, code: decoded.error.code, reason: decoded.error.reason, deliveryCount: 1 });
    }
    const key = record.key === null ? '' : record.key.toString('utf8');
    const headers = toStringHeaders(record.headers);
    const offset = Number(record.offset);
    for (let deliveryCount = 1; ; deliveryCount++) {
      try {
        await handleDelivery('kafka', { topic, key, message: decoded.message, headers, partition, offset, deliveryCount }, this.handler);
        return true;
      } catch (error) {
        if (deliveryCount >= this.settings.maxDeliveries) {
          return this.deadLetter({ topic, partition, record, code: 'handler_failed', reason: reasonOf(error), deliveryCount });
        }
        if (!(await this.pauseUnlessStopping(redeliveryDelayMs(deliveryCount)))) return false;
      }
    }
  }

  /** Retries until the DLQ accepted the record: moving past it otherwise would lose it. */
  private async deadLetter(source: DeadLetterSource): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deadLetters.publish(source);
        return true;
      } catch (error) {
        this.logger.warn(
          `could not dead-letter ${source.topic}[${source.partition}]@${source.record.offset} (attempt ${attempt}), retrying: ${(error as Error).message}`,
        );
        if (!(await this.pauseUnlessStopping(Math.min(100 * 2 ** attempt, MAX_DEAD_LETTER_RETRY_MS)))) return false;
      }
    }
  }

  /**
   * Waits until the latest assignment's `assigned` resolved, heartbeating meanwhile; false
   * when the batch is to be abandoned (the runner stops, the partition is re-seeked). A
   * rebalance makes the heartbeat throw, which ends the batch as in waitForPermit.
   */
  private async waitForOwnership(payload: EachBatchPayload): Promise<boolean> {
    for (;;) {
      await this.nap(HEARTBEAT_WHILE_WAITING_MS, this.ownership.whenReady());
      if (this.stopping || !payload.isRunning() || payload.isStale()) return false;
      if (this.ownership.isReady) return true;
      await payload.heartbeat();
    }
  }

  private async waitForPermit(payload: EachBatchPayload): Promise<boolean> {
    let granted = false;
    let abandoned = false;
    const acquisition = this.permits.acquire().then(() => {
      if (abandoned) this.permits.release();
      else granted = true;
    });
    try {
      for (;;) {
        await this.nap(HEARTBEAT_WHILE_WAITING_MS, acquisition);
        if (granted) return true;
        // The consumer stopping (a crash, a close) waits for this batch to return.
        if (this.stopping || !payload.isRunning()) {
          abandoned = true;
          return false;
        }
        // Throws when the group rebalances: kafkajs then rejoins, and re-fetches what was not handed out.
        await payload.heartbeat();
      }
    } catch (error) {
      if (granted) this.permits.release();
      else abandoned = true;
      throw error;
    }
  }

  /** Waits `ms`; false if the runner is stopping (then it returns at once). */
  private async pauseUnlessStopping(ms: number): Promise<boolean> {
    if (this.stopping) return false;
    if (ms > 0) await this.nap(ms);
    return !this.stopping;
  }

  /** Sleeps for `ms`, or less if `until` settles first or the runner stops. */
  private nap(ms: number, until?: Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
      void until?.then(wake);
    });
  }

  private progressOf(topic: string, partition: number): PartitionProgress {
    let partitions = this.progress.get(topic);
    if (!partitions) {
      partitions = new Map();
      this.progress.set(topic, partitions);
    }
    let progress = partitions.get(partition);
    if (!progress) {
      progress = new PartitionProgress(topic, partition);
      partitions.set(partition, progress);
    }
    return progress;
  }

  /**
   * Forgets partitions assigned elsewhere now, so their progress is not committed over the
   * new owner's; re-commits the position of the partitions kept, under the new generation;
   * tells the ownership listener (revoked at once, then assigned).
   */
  private onAssignment(assignment: IMemberAssignment): void {
    for (const [topic, partitions] of this.progress) {
      const kept = new Set(assignment[topic] ?? []);
      for (const [partition, progress] of partitions) {
        if (kept.has(partition)) {
          progress.forgetCommitted();
          this.committer.moved(progress);
          continue;
        }
        progress.revoked = true;
        this.committer.forget(progress);
        partitions.delete(partition);
      }
    }
    if (!this.stopping) {
      clearTimeout(this.stopGraceTimer);
      this.state.joined();
    }
    this.ownership.assign(this.settings.topics.flatMap((topic) => assignment[topic] ?? []));
    this.onFirstAssignment?.();
  }

  /**
   * Resolves at the consumer's next assignment. Rejects after joinTimeoutMs, when the wait is
   * failed (close, subscribe failing), and when the consumer crashes and kafkajs gives up on
   * it, or, with `failOnAnyCrash`, crashes at all (a rebuild then builds another one itself).
   */
  private waitForAssignment(consumer: Consumer, failOnAnyCrash: boolean): Promise<void> {
    const { groupId, topics, tuning } = this.settings;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: TransportError) => {
        clearTimeout(timer);
        stopWatchingCrashes();
        this.onFirstAssignment = undefined;
        this.failAssignmentWait = undefined;
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => settle(new TransportError(`group ${groupId} did not assign partitions within ${tuning.joinTimeoutMs} ms`, true, { groupId, topics })),
        tuning.joinTimeoutMs,
      );
      const stopWatchingCrashes = consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart && !failOnAnyCrash) return;
        settle(new TransportError(`consumer of group ${groupId} crashed while joining: ${payload.error.message}`, true, { groupId, topics }, payload.error));
      });
      this.onFirstAssignment = () => settle();
      this.failAssignmentWait = settle;
    });
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** Disconnects a consumer that is being replaced, giving up after `timeoutMs` (it is abandoned either way). */
async function disconnectWithin(consumer: Consumer, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    consumer.disconnect().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
