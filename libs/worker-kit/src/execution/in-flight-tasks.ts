import { ToolError } from '../tools/tool-error';
import { TaskAbort } from './task-abort';

interface InFlightTask {
  readonly goalId: string;
  readonly taskId: string;
  readonly abort: TaskAbort;
}

/** Abort handles of the tasks running now, so control signals and shutdown can stop them. */
export class InFlightTasks {
  private readonly tasks = new Map<string, InFlightTask>();

  get size(): number {
    return this.tasks.size;
  }

  add(goalId: string, taskId: string, attempt: number, abort: TaskAbort): () => void {
    const key = `${goalId}\u0000${taskId}\u0000${attempt}`;
    this.tasks.set(key, { goalId, taskId, abort });
    return () => this.tasks.delete(key);
  }

  /** Aborts the tasks matching the target; returns how many were aborted. */
  cancel(target: { goalId?: string; taskId?: string }, reason: string): number {
    let aborted = 0;
    for (const task of this.tasks.values()) {
      if (target.goalId !== undefined && task.goalId !== target.goalId) continue;
      if (target.taskId !== undefined && task.taskId !== target.taskId) continue;
      task.abort.abort(new ToolError('cancelled', reason));
      aborted++;
    }
    return aborted;
  }

  cancelAll(reason: string): number {
    return this.cancel({}, reason);
  }
}
