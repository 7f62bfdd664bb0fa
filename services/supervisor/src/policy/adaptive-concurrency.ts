import { Run } from '../runs/run';
import { PoolLimits } from '../scheduling/pool-limits';

/**
 * AIMD on each worker type's dispatch limit, as TCP does on its window: a rate-limit signal
 * halves what is actually in flight (once per congestion episode: signals about tasks sent
 * before the last decrease are the same episode), and every full window of successes adds
 * one, up to the ceiling (the configured pool concurrency, or what an operator set).
 */
export class AdaptiveConcurrency {
  private readonly ceilings = new Map<string, number>();
  private readonly lastDecreaseAt = new Map<string, number>();
  private readonly successes = new Map<string, number>();

  constructor(
    private readonly pools: PoolLimits,
    private readonly defaultCeiling: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  ceiling(workerType: string): number {
    return this.ceilings.get(workerType) ?? this.defaultCeiling;
  }

  /** An operator's limit: the new current limit and the most AIMD grows back to. */
  setCeiling(workerType: string, limit: number): Run[] {
    this.ceilings.set(workerType, limit);
    this.successes.set(workerType, 0);
    return this.pools.setLimit(workerType, limit);
  }

  /** Multiplicative decrease; returns the new limit, or undefined when the signal belongs to an episode already acted on. */
  onRateLimited(workerType: string, dispatchedAt: number): number | undefined {
    if (dispatchedAt < (this.lastDecreaseAt.get(workerType) ?? Number.NEGATIVE_INFINITY)) return undefined;
    // The failed task's slot is already free: it counts as in flight when the signal was sent.
    const effective = Math.min(this.pools.limit(workerType), this.pools.inFlightOf(workerType) + 1);
    const limit = Math.max(1, Math.floor(effective / 2));
    this.pools.setLimit(workerType, limit);
    this.lastDecreaseAt.set(workerType, this.now());
    this.successes.set(workerType, 0);
    return limit;
  }

  /** Additive increase; returns the runs waiting on the pool when it grew. */
  onSuccess(workerType: string): Run[] {
    const limit = this.pools.limit(workerType);
    if (limit >= this.ceiling(workerType)) return [];
    const count = (this.successes.get(workerType) ?? 0) + 1;
    if (count < limit) {
      this.successes.set(workerType, count);
      return [];
    }
    this.successes.set(workerType, 0);
    return this.pools.setLimit(workerType, limit + 1);
  }
}
