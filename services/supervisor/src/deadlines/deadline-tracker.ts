import { Run } from '../runs/run';

/**
 * The supervisor's own clock on every dispatched task: a result that never arrives (the
 * worker crashed, the message was lost) becomes a timeout, whatever happened elsewhere.
 * Also the goal's wall-clock deadline.
 */
export class DeadlineTracker {
  private readonly taskTimers = new Map<Run, Map<number, NodeJS.Timeout>>();
  private readonly goalTimers = new Map<Run, NodeJS.Timeout>();

  constructor(
    private readonly onTaskExpired: (run: Run, index: number, attempt: number) => void,
    private readonly onGoalExpired: (run: Run) => void,
  ) {}

  trackTask(run: Run, index: number, attempt: number, afterMs: number): void {
    let timers = this.taskTimers.get(run);
    if (!timers) {
      timers = new Map();
      this.taskTimers.set(run, timers);
    }
    const timer = setTimeout(() => {
      timers.delete(index);
      this.onTaskExpired(run, index, attempt);
    }, afterMs);
    timers.set(index, timer);
  }

  clearTask(run: Run, index: number): void {
    const timers = this.taskTimers.get(run);
    const timer = timers?.get(index);
    if (timer) {
      clearTimeout(timer);
      timers!.delete(index);
    }
  }

  trackGoal(run: Run, afterMs: number): void {
    const timer = setTimeout(() => {
      this.goalTimers.delete(run);
      this.onGoalExpired(run);
    }, afterMs);
    this.goalTimers.set(run, timer);
  }

  clearRun(run: Run): void {
    for (const timer of this.taskTimers.get(run)?.values() ?? []) clearTimeout(timer);
    this.taskTimers.delete(run);
    const goalTimer = this.goalTimers.get(run);
    if (goalTimer) clearTimeout(goalTimer);
    this.goalTimers.delete(run);
  }
}
