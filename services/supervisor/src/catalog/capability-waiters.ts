interface Waiter {
  readonly workerTypes: readonly string[];
  readonly settle: (offered: boolean) => void;
}

/** Promises for "these worker types are offered", settled by announcements or a timeout. */
export class CapabilityWaiters {
  private readonly waiters = new Set<Waiter>();

  wait(workerTypes: readonly string[], timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      timer.unref();
      const waiter: Waiter = {
        workerTypes,
        settle: (offered) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(offered);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Settles every waiter whose worker types are all offered now. */
  notify(isOffered: (workerType: string) => boolean): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.workerTypes.every(isOffered)) waiter.settle(true);
    }
  }

  /** Settles every waiter as not offered (shutdown). */
  cancelAll(): void {
    for (const waiter of [...this.waiters]) waiter.settle(false);
  }

  get size(): number {
    return this.waiters.size;
  }
}
