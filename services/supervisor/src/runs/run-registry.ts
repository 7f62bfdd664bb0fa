import { Run } from './run';

/**
 * The runs this supervisor drives, plus a bounded memory of finished goal ids so a goal
 * delivered again after it finished is not run twice.
 */
export class RunRegistry {
  private readonly active = new Map<string, Run>();
  private readonly finished = new Map<string, Run['status']>();

  constructor(private readonly finishedMemory = 100_000) {}

  get activeCount(): number {
    return this.active.size;
  }

  get(goalId: string): Run | undefined {
    return this.active.get(goalId);
  }

  /** Whether this goal id was ever seen by this supervisor (running or finished). */
  knows(goalId: string): boolean {
    return this.active.has(goalId) || this.finished.has(goalId);
  }

  finishedStatus(goalId: string): Run['status'] | undefined {
    return this.finished.get(goalId);
  }

  add(run: Run): void {
    this.active.set(run.goalId, run);
  }

  /** A goal that was rejected before it had a run still counts as seen. */
  rememberFinished(goalId: string, status: Run['status']): void {
    this.active.delete(goalId);
    this.finished.set(goalId, status);
    if (this.finished.size > this.finishedMemory) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }

  /** Forgets a run another supervisor instance drives now; it is not finished. */
  release(goalId: string): void {
    this.active.delete(goalId);
  }

  activeRuns(): IterableIterator<Run> {
    return this.active.values();
  }
}
