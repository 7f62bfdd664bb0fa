import { FinishedStatus, RunRecordMessage, RunSnapshotRecord, TaskProgress } from '@agentos/contracts';

/** A run as the runs journal has it: its latest snapshot and everything that settled since. */
export interface JournaledRun {
  readonly partition: number;
  readonly snapshot: RunSnapshotRecord;
  /** Every progress entry since the snapshot, in order. */
  readonly progress: TaskProgress[];
  dispatches: number;
  paused: boolean;
}

/** Another instance claimed a partition after this one last did: this one must stop driving it. */
export type PartitionLostListener = (partition: number, claimant: string) => void;

/**
 * Every supervisor instance's reading of the whole runs topic: the running goals of every
 * partition, the finished ones (bounded), and each partition's current owner.
 *
 * Fencing: a partition's owner is the writer of its latest claim. A record written by anyone
 * else after that claim comes from an instance that lost the partition and has not noticed
 * yet; every reader ignores it, so all agree on the same state.
 *
 * Records are applied in partition order, and the topic may be read again from the start (the
 * reader's group rejoins with no committed offset): every decision here depends only on the
 * records and their offsets, so a second reading ends in the same state and raises no alarm
 * about claims this instance has already answered.
 */
export class RunView {
  private readonly running = new Map<string, JournaledRun>();
  private readonly finished = new Map<string, { readonly partition: number; readonly status: FinishedStatus }>();
  private readonly owners = new Map<number, string>();
  /** Offset of this instance's latest claim per partition. */
  private readonly ownClaims = new Map<number, number>();
  private readonly claimWaiters = new Map<string, () => void>();
  private readonly lostListeners = new Set<PartitionLostListener>();
  /** Records ignored because their writer had lost the partition. */
  fencedRecords = 0;

  constructor(
    /** This instance's writer id. */
    private readonly self: string,
    private readonly finishedMemory = 100_000,
  ) {}

  /** Applies one record read from `partition` at `offset`, in the partition's order. Never throws. */
  apply(record: RunRecordMessage, partition: number, offset: number): void {
    if (record.record === 'claim') return this.applyClaim(record.writer, record.claimId, partition, offset);
    const owner = this.owners.get(partition);
    if (owner !== undefined && owner !== record.writer) {
      this.fencedRecords++;
      return;
    }
    switch (record.record) {
      case 'snapshot':
        this.finished.delete(record.goalId);
        this.running.set(record.goalId, { partition, snapshot: record, progress: [], dispatches: record.dispatches, paused: record.paused });
        return;
      case 'progress': {
        const run = this.running.get(record.goalId);
        // Progress without its snapshot: the snapshot's write failed; the next one starts the run anew.
        if (!run) return;
        for (const task of record.tasks) run.progress.push(task);
        run.dispatches = record.dispatches;
        run.paused = record.paused;
        return;
      }
      case 'finished':
        this.running.delete(record.goalId);
        this.rememberFinished(record.goalId, partition, record.status);
        return;
    }
  }

  /** Resolves once this instance has read its claim `claimId` back: everything before it is applied. */
  whenClaimRead(claimId: string): Promise<void> {
    return new Promise((resolve) => this.claimWaiters.set(claimId, resolve));
  }

  /** Stops waiting for a claim (its publish failed, or the wait timed out). */
  abandonClaim(claimId: string): void {
    this.claimWaiters.delete(claimId);
  }

  onPartitionLost(listener: PartitionLostListener): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  ownerOf(partition: number): string | undefined {
    return this.owners.get(partition);
  }

  runningIn(partition: number): JournaledRun[] {
    return [...this.running.values()].filter((run) => run.partition === partition);
  }

  finishedIn(partition: number): Array<[goalId: string, status: FinishedStatus]> {
    const found: Array<[string, FinishedStatus]> = [];
    for (const [goalId, entry] of this.finished) if (entry.partition === partition) found.push([goalId, entry.status]);
    return found;
  }

  get runningCount(): number {
    return this.running.size;
  }

  private applyClaim(writer: string, claimId: string, partition: number, offset: number): void {
    this.owners.set(partition, writer);
    const ownClaim = this.ownClaims.get(partition);
    if (writer === this.self) {
      this.ownClaims.set(partition, Math.max(ownClaim ?? -1, offset));
    } else if (ownClaim !== undefined && offset > ownClaim) {
      for (const listener of this.lostListeners) listener(partition, writer);
    }
    const waiter = this.claimWaiters.get(claimId);
    if (waiter) {
      this.claimWaiters.delete(claimId);
      waiter();
    }
  }

  private rememberFinished(goalId: string, partition: number, status: FinishedStatus): void {
    this.finished.delete(goalId);
    this.finished.set(goalId, { partition, status });
    if (this.finished.size > this.finishedMemory) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }
}
