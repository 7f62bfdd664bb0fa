/**
 * One task's abort handle. The AbortSignal a tool sees is made only when the tool reads it:
 * most cheap tools never do, and an AbortController with its EventTarget costs more than
 * running them. The executor itself is told through a plain callback.
 */
export class TaskAbort {
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private isAborted = false;
  private listener: ((reason: unknown) => void) | undefined;

  get aborted(): boolean {
    return this.isAborted;
  }

  get reason(): unknown {
    return this.abortReason;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.isAborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listener = this.listener;
    this.listener = undefined;
    listener?.(reason);
  }

  /** The executor's one listener (replaced by a later call; cleared with undefined). */
  onAbort(listener: ((reason: unknown) => void) | undefined): void {
    this.listener = listener;
  }
}
