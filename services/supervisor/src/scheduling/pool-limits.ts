import { Run } from '../runs/run';

/**
 * How many tasks the supervisor keeps in flight per worker type, across all goals. Runs
 * that found a pool full wait here and are woken, oldest first, as slots free up.
 */
export class PoolLimits {
  private readonly inFlight = new Map<string, number>();
  private readonly limits = new Map<string, number>();
  private readonly waiting = new Map<string, Set<Run>>();

  constructor(private readonly defaultLimit: number) {}

  limit(workerType: string): number {
    return this.limits.get(workerType) ?? this.defaultLimit;
  }

  /** Changes a pool's limit; returns the runs that waited on it when it grew (they should try again). */
  setLimit(workerType: string, limit: number): Run[] {
    const previous = this.limit(workerType);
    this.limits.set(workerType, Math.max(1, Math.floor(limit)));
    if (this.limit(workerType) <= previous) return [];
    const waiters = this.waiting.get(workerType);
    if (!waiters || waiters.size === 0) return [];
    const woken = [...waiters];
    waiters.clear();
    return woken;
  }

  /** Every worker type with a limit set or a task dispatched so far. */
  workerTypes(): Iterable<string> {
    return new Set([...this.limits.keys(), ...this.inFlight.keys()]);
  }

  inFlightOf(workerType: string): number {
    return this.inFlight.get(workerType) ?? 0;
  }

  hasRoom(workerType: string): boolean {
    return this.inFlightOf(workerType) < this.limit(workerType);
  }

  tryAcquire(workerType: string): boolean {
    const current = this.inFlightOf(workerType);
    if (current >= this.limit(workerType)) return false;
    this.inFlight.set(workerType, current + 1);
    return true;
  }

  /** Frees a slot; returns the runs that were waiting on this pool (they should try again). */
  release(workerType: string): Run[] {
    this.inFlight.set(workerType, Math.max(0, this.inFlightOf(workerType) - 1));
    const waiters = this.waiting.get(workerType);
    if (!waiters || waiters.size === 0) return [];
    const woken = [...waiters];
    waiters.clear();
    return woken;
  }

  waitFor(workerType: string, run: Run): void {
    let waiters = this.waiting.get(workerType);
    if (!waiters) {
      waiters = new Set();
      this.waiting.set(workerType, waiters);
    }
    waiters.add(run);
  }

  forget(run: Run): void {
    for (const waiters of this.waiting.values()) waiters.delete(run);
  }
}
