import { Logger } from '@nestjs/common';
import { ANY_GOAL, ControlMessage } from '@agentos/contracts';
import { RunDriver } from '../runs/run-driver';
import { RunRegistry } from '../runs/run-registry';

/**
 * What an operator's control signal means to this supervisor: cancel, pause or resume a goal
 * it drives (other instances ignore goals they do not own), or change a worker type's dispatch
 * limit. Workers act on the same broadcast themselves (a cancel stops their running tasks).
 */
export class ControlHandler {
  private readonly logger = new Logger(ControlHandler.name);

  constructor(
    private readonly runs: RunRegistry,
    private readonly driver: RunDriver,
  ) {}

  async apply(control: ControlMessage): Promise<void> {
    const reason = control.reason ?? `${control.signal} requested`;
    if (control.signal === 'set_concurrency') {
      if (control.target.workerType === undefined || control.value === undefined || control.value < 1) return;
      this.logger.log(`dispatch limit of worker type ${control.target.workerType} set to ${control.value}: ${reason}`);
      return this.driver.setPoolConcurrency(control.target.workerType, control.value);
    }
    const goalId = control.target.goalId ?? (control.goalId === ANY_GOAL ? undefined : control.goalId);
    // A signal about one task, or a pool, is the workers' business.
    if (goalId === undefined || control.target.taskId !== undefined) return;
    const run = this.runs.get(goalId);
    if (!run) return;
    switch (control.signal) {
      case 'cancel':
        return this.driver.cancel(run, reason);
      case 'pause':
        return this.driver.setPaused(run, true, reason);
      case 'resume':
        return this.driver.setPaused(run, false, reason);
      default:
        return;
    }
  }
}
