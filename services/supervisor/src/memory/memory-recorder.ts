import { Logger } from '@nestjs/common';
import { Embedder, MemoryStore, RunMemory } from '@agentos/memory';
import { FinishedRun } from './finished-run';

interface Pending {
  readonly run: FinishedRun;
  readonly embedding: Float32Array | undefined;
}

/**
 * Writes finished goals to the store behind the supervisor's back: one at a time, in the order
 * they finished, never on a goal's critical path. Memory is advice: when the store is down or
 * slow, the oldest waiting records are dropped (counted and logged) rather than held without bound.
 */
export class MemoryRecorder {
  private readonly logger = new Logger(MemoryRecorder.name);
  private readonly queue: Pending[] = [];
  /** The run being written now: taken off the queue, not yet in the store. */
  private writing: FinishedRun | undefined;
  private draining: Promise<void> | undefined;
  recorded = 0;
  dropped = 0;
  failed = 0;

  constructor(
    private readonly store: MemoryStore,
    private readonly embedder: Embedder,
    private readonly maxPending: number,
    /** Called once a run is in the store, with the embedding it was stored with. */
    private readonly onRecorded: (run: RunMemory) => void,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Finished runs the store may not hold yet: being written, or waiting. */
  unwritten(): FinishedRun[] {
    return [...(this.writing ? [this.writing] : []), ...this.queue.map((pending) => pending.run)];
  }

  enqueue(run: FinishedRun, embedding?: Float32Array): void {
    if (this.queue.length >= this.maxPending) {
      this.queue.shift();
      if (this.dropped++ % 1_000 === 0) this.logger.warn(`memory store is behind: dropped ${this.dropped} finished goal(s) unrecorded so far`);
    }
    this.queue.push({ run, embedding });
    this.startDraining();
  }

  /** One drain at a time; a run enqueued while the last one was finishing starts the next. */
  private startDraining(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.startDraining();
    });
  }

  /** Resolves once everything enqueued so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      this.writing = next.run;
      try {
        const embedding = next.embedding ?? (await this.embedder.embed([next.run.goalText]))[0]!;
        const run: RunMemory = { ...next.run, embedding, embeddingModel: this.embedder.model };
        await this.store.recordRun(run);
        this.recorded++;
        this.onRecorded(run);
      } catch (error) {
        if (this.failed++ % 100 === 0) this.logger.warn(`recording goal ${next.run.goalId} in memory failed: ${(error as Error).message}`);
      } finally {
        this.writing = undefined;
      }
    }
  }
}
