/** A record taken off a partition whose outcome (handled or dead-lettered) is still open. */
export interface TrackedRecord {
  readonly offset: number;
  done: boolean;
}

/**
 * Where one assigned partition stands: which records were handed out, which finished, and
 * so the offset that is safe to commit, the lowest unfinished one. Records finish in any
 * order; the commit position only ever moves over a contiguous finished prefix.
 *
 * Offsets are held as numbers: exact up to 2^53, which no partition reaches.
 */
export class PartitionProgress {
  /** Handed-out records in offset order, from the lowest unfinished one. */
  private records: TrackedRecord[] = [];
  private head = 0;
  /** One past the highest offset handed out; -1 before the first. */
  private nextUnseen = -1;
  private committed = -1;
  /** Set when the partition is assigned elsewhere: its results no longer count here. */
  revoked = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /**
   * True for a record this member already took: kafkajs re-fetches from the committed offset
   * after a rebalance or a restart of its runner, while those records may still be running.
   */
  wasHandedOut(offset: number): boolean {
    return offset < this.nextUnseen;
  }

  handOut(offset: number): TrackedRecord {
    const record: TrackedRecord = { offset, done: false };
    this.records.push(record);
    this.nextUnseen = offset + 1;
    return record;
  }

  /** Marks a record finished; true when that moved the commit position. */
  finish(record: TrackedRecord): boolean {
    record.done = true;
    if (this.records[this.head] !== record) return false;
    while (this.head < this.records.length && this.records[this.head]!.done) this.head++;
    if (this.head === this.records.length) {
      this.records = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  /** The offset of the next record to process after a restart: the lowest unfinished one. */
  get commitPosition(): number {
    return this.head < this.records.length ? this.records[this.head]!.offset : this.nextUnseen;
  }

  get hasUncommittedProgress(): boolean {
    return !this.revoked && this.commitPosition > this.committed && this.nextUnseen >= 0;
  }

  markCommitted(position: number): void {
    if (position > this.committed) this.committed = position;
  }

  /**
   * Forgets what was committed, so the position is committed again: after a rejoin the
   * commit may never have reached the broker (kafkajs drops commits while its runner is down).
   */
  forgetCommitted(): void {
    this.committed = -1;
  }
}
