/**
 * Counting semaphore with FIFO waiters and a limit that can change at run time (the
 * supervisor lowers and raises pool concurrency). Lowering never interrupts holders:
 * new acquisitions wait until the count is back under the limit.
 */
export class Semaphore {
  private held = 0;
  private readonly waiters: Array<{ wake: () => void; abandoned: boolean }> = [];
  private waiterHead = 0;
  private liveWaiters = 0;

  constructor(private currentLimit: number) {
    Semaphore.assertLimit(currentLimit);
  }

  get limit(): number {
    return this.currentLimit;
  }

  get inUse(): number {
    return this.held;
  }

  get waiting(): number {
    return this.liveWaiters;
  }

  setLimit(limit: number): void {
    Semaphore.assertLimit(limit);
    this.currentLimit = limit;
    this.wakeWaiters();
  }

  tryAcquire(): boolean {
    if (this.held >= this.currentLimit || this.waiting > 0) return false;
    this.held++;
    return true;
  }

  /** Waits for a permit; with a signal, gives up (rejecting with its reason) when it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { wake: resolve, abandoned: false };
      this.waiters.push(waiter);
      this.liveWaiters++;
      if (!signal) return;
      const onAbort = (): void => {
        waiter.abandoned = true;
        this.liveWaiters--;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiter.wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
    });
  }

  release(): void {
    if (this.held === 0) throw new Error('semaphore released more often than acquired');
    this.held--;
    this.wakeWaiters();
  }

  /** Runs `work` holding one permit. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private wakeWaiters(): void {
    while (this.held < this.currentLimit && this.waiterHead < this.waiters.length) {
      const waiter = this.waiters[this.waiterHead]!;
      this.waiterHead++;
      if (waiter.abandoned) continue;
      this.liveWaiters--;
      this.held++;
      waiter.wake();
    }
    if (this.waiterHead > 1024 && this.waiterHead * 2 > this.waiters.length) {
      this.waiters.splice(0, this.waiterHead);
      this.waiterHead = 0;
    }
  }

  private static assertLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
  }
}
