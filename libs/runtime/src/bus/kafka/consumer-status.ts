/** What one subscription's consumer is doing, as a health probe reports it. */
export interface ConsumerStatusSnapshot {
  readonly running: boolean;
  /** Why it is not running; absent while it runs. */
  readonly reason?: string;
  /** Times its consumer was rebuilt after crashing or stopping. */
  readonly restarts: number;
}

/** The lifecycle of a subscription's consumer: joining, running, lost (and being rebuilt), closed. */
export class ConsumerStatus {
  private running = false;
  private reason: string | undefined = 'joining the group';
  private restarts = 0;

  get isRunning(): boolean {
    return this.running;
  }

  /** The consumer holds an assignment and fetches. */
  joined(): void {
    this.running = true;
    this.reason = undefined;
  }

  /** The consumer left the group (crashed, stopped) or a rebuild attempt failed. */
  lost(reason: string): void {
    this.running = false;
    this.reason = reason;
  }

  /** A rebuilt consumer joined the group. */
  rebuilt(): void {
    this.restarts++;
    this.joined();
  }

  closed(): void {
    this.running = false;
    this.reason = 'closed';
  }

  snapshot(): ConsumerStatusSnapshot {
    return this.running ? { running: true, restarts: this.restarts } : { running: false, reason: this.reason ?? 'not running', restarts: this.restarts };
  }
}

/**
 * Wait before rebuilding a lost consumer again: none for the first attempt, then 500 ms doubling
 * to 10 s, so a consumer is back within seconds of its broker (a restart takes tens of seconds).
 */
export function rebuildDelayMs(failedAttempts: number): number {
  return failedAttempts <= 0 ? 0 : Math.min(500 * 2 ** (failedAttempts - 1), 10_000);
}
