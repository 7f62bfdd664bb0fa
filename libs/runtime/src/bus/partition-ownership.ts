import { Logger } from '@nestjs/common';
import { PartitionOwnershipListener } from './message-bus';

/** Wait before calling a rejecting `assigned` again: 100 ms doubling, capped at 5 s. */
export function ownershipRetryDelayMs(failedAttempts: number): number {
  return Math.min(100 * 2 ** Math.max(0, failedAttempts - 1), 5_000);
}

/** One assignment's `assigned` call, retried until it resolves or is superseded. */
class AssignmentRound {
  cancelled = false;
  private wakeUp: (() => void) | undefined;

  cancel(): void {
    this.cancelled = true;
    this.wakeUp?.();
  }

  /** Waits `ms`, or less if the round is cancelled meanwhile. */
  pause(ms: number): Promise<void> {
    if (this.cancelled) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeUp = wake;
    });
  }
}

/**
 * What one subscription's member holds, told to its PartitionOwnershipListener, and the gate
 * deliveries wait on: open once the latest assignment's `assigned` resolved. Transport-neutral;
 * each bus reports assignments (`assign`) and asks `isReady` / `whenReady` before handing out.
 *
 * `assigned` calls are serialised: a newer assignment's call waits for the previous call to
 * settle, so a listener never restores the same partitions twice at once.
 */
export class PartitionOwnership {
  private readonly logger = new Logger(PartitionOwnership.name);
  private held: readonly number[] = [];
  private round: AssignmentRound | undefined;
  /** The listener's `assigned` call in progress, settled or not; never rejects. */
  private lastCall: Promise<void> = Promise.resolve();
  private ready: boolean;
  /** Resolved when the gate opens or the ownership closes; one per closed spell of the gate. */
  private opening: { promise: Promise<void>; resolve: () => void } | undefined;
  private closed = false;

  constructor(
    private readonly listener: PartitionOwnershipListener | undefined,
    /** Names the subscription in log lines. */
    private readonly description: string,
    /** Called each time the gate opens (deliveries may start). */
    private readonly onReady: () => void = () => undefined,
  ) {
    this.ready = listener === undefined;
  }

  /** True when records may be handed to the handler. */
  get isReady(): boolean {
    return this.ready;
  }

  get partitions(): readonly number[] {
    return this.held;
  }

  /** Resolves once the gate is open or the ownership closed. */
  whenReady(): Promise<void> {
    if (this.ready || this.closed) return Promise.resolve();
    if (!this.opening) {
      let resolve!: () => void;
      const promise = new Promise<void>((settle) => (resolve = settle));
      this.opening = { promise, resolve };
    }
    return this.opening.promise;
  }

  /**
   * A new assignment: revokes (synchronously) what it drops, closes the gate and calls
   * `assigned` with everything held. Called on every assignment, unchanged ones included.
   */
  assign(partitions: readonly number[]): void {
    const next = Object.freeze([...new Set(partitions)].sort((a, b) => a - b));
    const kept = new Set(next);
    const dropped = this.held.filter((partition) => !kept.has(partition));
    this.held = next;
    this.round?.cancel();
    this.round = undefined;
    if (dropped.length > 0) this.tellRevoked(dropped);
    if (!this.listener || this.closed) return;
    const round = new AssignmentRound();
    this.round = round;
    this.ready = false;
    void this.runRound(this.listener, round, next);
  }

  /** Stops calling `assigned` (a pending retry is dropped) and releases every waiter. */
  close(): void {
    this.closed = true;
    this.round?.cancel();
    this.round = undefined;
    this.releaseWaiters();
  }

  /** Tells the listener it holds nothing any more (at the end of a subscription, after draining). */
  revokeAll(): void {
    const held = this.held;
    this.held = [];
    if (held.length > 0) this.tellRevoked(held);
  }

  private async runRound(listener: PartitionOwnershipListener, round: AssignmentRound, partitions: readonly number[]): Promise<void> {
    for (let failures = 0; ; ) {
      await this.lastCall;
      if (round.cancelled) return;
      const call = callAssigned(listener, partitions);
      this.lastCall = call.then(
        () => undefined,
        () => undefined,
      );
      try {
        await call;
        break;
      } catch (error) {
        failures++;
        const delayMs = ownershipRetryDelayMs(failures);
        this.logger.warn(
          `${this.description}: assigned([${partitions.join(', ')}]) failed (attempt ${failures}), calling it again in ${delayMs} ms: ${reasonOf(error)}`,
        );
        await round.pause(delayMs);
        if (round.cancelled) return;
      }
    }
    if (round.cancelled) return;
    this.round = undefined;
    this.ready = true;
    this.releaseWaiters();
    this.onReady();
  }

  private tellRevoked(partitions: readonly number[]): void {
    if (!this.listener) return;
    try {
      this.listener.revoked(partitions);
    } catch (error) {
      this.logger.error(`${this.description}: revoked([${partitions.join(', ')}]) threw: ${reasonOf(error)}`);
    }
  }

  private releaseWaiters(): void {
    this.opening?.resolve();
    this.opening = undefined;
  }
}

/** A listener that throws instead of rejecting is treated as rejecting. */
function callAssigned(listener: PartitionOwnershipListener, partitions: readonly number[]): Promise<void> {
  try {
    return Promise.resolve(listener.assigned(partitions));
  } catch (error) {
    return Promise.reject(error);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
