import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ControlMessage, TaskMessage, TopicRegistry } from '@agentos/contracts';
import { MESSAGE_BUS, MessageBus, TOPIC_REGISTRY } from '@agentos/runtime';
import { TaskExecutor } from '../execution/task-executor';
import { TASK_EXECUTOR } from './worker.tokens';

/** The worker's two inputs: tasks from its pool's topic, and control signals broadcast to all. */
@Controller()
export class WorkerController {
  private readonly logger = new Logger(WorkerController.name);

  constructor(
    @Inject(TASK_EXECUTOR) private readonly executor: TaskExecutor,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(TOPIC_REGISTRY) private readonly topics: TopicRegistry,
  ) {}

  @EventPattern('task')
  async onTask(@Payload() task: TaskMessage): Promise<void> {
    const result = await this.executor.execute(task);
    await this.bus.publish([{ topic: this.topics.results(), key: result.goalId, message: result }]);
  }

  @EventPattern('control')
  onControl(@Payload() control: ControlMessage): void {
    const { target } = control;
    if (target.workerType !== undefined && target.workerType !== this.executor.workerType) return;
    switch (control.signal) {
      case 'cancel': {
        if (target.goalId === undefined && target.taskId === undefined) return;
        const aborted = this.executor.inFlight.cancel(target, control.reason ?? 'cancelled by control signal');
        if (aborted > 0) this.logger.log(`cancelled ${aborted} running task(s) of goal ${target.goalId ?? '*'}`);
        return;
      }
      case 'set_concurrency':
        if (control.value !== undefined && control.value >= 1 && target.workerType !== undefined) {
          this.executor.slots.setLimit(control.value);
          this.logger.log(`concurrency set to ${control.value}`);
        }
        return;
      default:
        // pause/resume act on the supervisor's scheduling; drain is a lifecycle concern (SIGTERM).
        return;
    }
  }
}
