import { Logger } from '@nestjs/common';
import { TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { PartitionProgress } from './partition-progress';

/** Group errors that only mean "the assignment is changing": the next commit after the rejoin covers it. */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR']);

/**
 * Commits the finished prefix of every partition of one consumer, coalesced: at most one
 * commit request in flight and at most one per `intervalMs`, each carrying every partition
 * that moved since the last.
 */
export class OffsetCommitter {
  private readonly logger = new Logger(OffsetCommitter.name);
  private readonly dirty = new Set<PartitionProgress>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly groupId: string,
    private readonly commit: (offsets: TopicPartitionOffsetAndMetadata[]) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Notes that a partition's commit position moved. */
  moved(progress: PartitionProgress): void {
    this.dirty.add(progress);
    this.schedule();
  }

  forget(progress: PartitionProgress): void {
    this.dirty.delete(progress);
  }

  /** Commits everything pending now and waits for it; rejects if the final commit fails. */
  async flush(): Promise<void> {
    this.cancelTimer();
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    await this.commitPending(true);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.commitPending(false).finally(() => {
        this.inFlight = undefined;
        if (this.dirty.size > 0) this.schedule();
      });
    }, this.intervalMs);
  }

  private async commitPending(throwOnFailure: boolean): Promise<void> {
    const partitions: PartitionProgress[] = [];
    const offsets: TopicPartitionOffsetAndMetadata[] = [];
    for (const progress of this.dirty) {
      if (!progress.hasUncommittedProgress) continue;
      partitions.push(progress);
      offsets.push({ topic: progress.topic, partition: progress.partition, offset: String(progress.commitPosition) });
    }
    this.dirty.clear();
    if (offsets.length === 0) return;
    try {
      await this.commit(offsets);
      for (let i = 0; i < partitions.length; i++) partitions[i]!.markCommitted(Number(offsets[i]!.offset));
    } catch (error) {
      for (const progress of partitions) this.dirty.add(progress);
      const type = (error as { type?: unknown }).type;
      const message = `committing offsets of group ${this.groupId} failed, will retry: ${(error as Error).message}`;
      if (typeof type === 'string' && REBALANCE_ERRORS.has(type)) this.logger.debug(message);
      else this.logger.warn(message);
      if (throwOnFailure) throw error;
    }
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
