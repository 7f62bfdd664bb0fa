import { Logger } from '@nestjs/common';
import { decode } from '@agentos/contracts';
import { Consumer, EachBatchPayload, IMemberAssignment, KafkaMessage } from 'kafkajs';
import { Semaphore } from '../../concurrency/semaphore';
import { TransportError } from '../../errors/agentos-error';
import { DeliveryHandler, PartitionOwnershipListener } from '../message-bus';
import { PartitionOwnership } from '../partition-ownership';
import { redeliveryDelayMs } from '../redelivery-backoff';
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
 */
export class ConsumerRunner {
  private readonly logger = new Logger(ConsumerRunner.name);
  private readonly permits: Semaphore;
  private readonly committer: OffsetCommitter;
  private readonly ownership: PartitionOwnership;
  private readonly progress = new Map<string, Map<number, PartitionProgress>>();
  /** Wakes every wait (for a permit, a redelivery delay) when the runner stops. */
  private readonly wakers = new Set<() => void>();
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private onFirstAssignment: (() => void) | undefined;
  private failAssignmentWait: ((error: TransportError) => void) | undefined;
  private stopping = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly settings: ConsumerRunnerSettings,
    private readonly handler: DeliveryHandler,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    this.permits = new Semaphore(settings.maxInFlight);
    this.committer = new OffsetCommitter(settings.groupId, (offsets) => consumer.commitOffsets(offsets), settings.tuning.commitIntervalMs);
    this.ownership = new PartitionOwnership(settings.ownership, `group ${settings.groupId} on ${settings.topics.join(', ')}`);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment));
  }

  /** Joins the group; resolves once this member holds an assignment, so records published after it are seen. */
  async start(): Promise<void> {
    const assigned = this.waitForAssignment();
    assigned.catch(() => undefined); // awaited below; kept from counting as unhandled meanwhile
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...this.settings.topics], fromBeginning: this.settings.startFrom !== 'latest' });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.tuning.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.takeBatch(payload),
      });
      await assigned;
    } catch (error) {
      this.failAssignmentWait?.(new TransportError('subscribing failed', true));
      this.stopping = true;
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
    this.failAssignmentWait?.(new TransportError(`group ${this.settings.groupId} subscription closed before it was assigned partitions`, false));
    this.ownership.close();
    for (const wake of [...this.wakers]) wake();
    // Paused rather than stopped: the runner keeps heartbeating while handlers drain, and
    // the group still accepts this member's final commit.
    try {
      this.consumer.pause(this.settings.topics.map((topic) => ({ topic })));
    } catch {
      // not running (it crashed and is restarting): nothing to pause
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
    await this.consumer.disconnect();
  }

  private async takeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const progress = this.progressOf(batch.topic, batch.partition);
    for (const record of batch.messages) {
      if (this.stopping || progress.revoked || !payload.isRunning() || payload.isStale()) return;
      const offset = Number(record.offset);
      if (!progress.wasHandedOut(offset)) {
        if (!this.ownership.isReady && !(await this.waitForOwnership(payload))) return;
        if (!this.permits.tryAcquire() && !(await this.waitForPermit(payload))) return;
        if (this.stopping || progress.revoked || !this.ownership.isReady) {
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
        await this.handler({ topic, key, message: decoded.message, headers, partition, offset, deliveryCount });
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
        if (this.stopping) {
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
    await this.nap(ms);
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
    this.ownership.assign(this.settings.topics.flatMap((topic) => assignment[topic] ?? []));
    this.onFirstAssignment?.();
  }

  private waitForAssignment(): Promise<void> {
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
      const stopWatchingCrashes = this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
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

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
