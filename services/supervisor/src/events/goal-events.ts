import {
  ControlMessage,
  Envelope,
  GoalEventMessage,
  GoalEventType,
  JsonObject,
  newEnvelope,
  TopicRegistry,
} from '@agentos/contracts';
import { OutboundMessage } from '@agentos/runtime';
import { TaskEventLevel } from '../config/supervisor.config';

const FAILURE_EVENTS: ReadonlySet<GoalEventType> = new Set(['task.failed', 'task.retry_scheduled']);

/** Builds the supervisor's outgoing notices: goal lifecycle events (keyed by goalId) and cancels for workers. */
export class GoalEvents {
  constructor(
    private readonly topics: TopicRegistry,
    private readonly taskEvents: TaskEventLevel,
  ) {}

  goal(cause: Envelope, type: GoalEventType, data?: JsonObject): OutboundMessage {
    return this.build(cause, type, undefined, undefined, data);
  }

  /** A task-level event, or undefined when the configured level leaves it out. */
  task(cause: Envelope, type: GoalEventType, taskId: string, attempt: number, data?: JsonObject): OutboundMessage | undefined {
    const wanted = this.taskEvents === 'all' || (this.taskEvents === 'failures' && FAILURE_EVENTS.has(type));
    return wanted ? this.build(cause, type, taskId, attempt, data) : undefined;
  }

  /** Tells every worker to stop this goal's running tasks (or one of them): nothing will use their results. */
  cancelInFlight(goal: Envelope, reason: string, taskId?: string): OutboundMessage {
    const message: ControlMessage = {
      ...newEnvelope('control', goal),
      signal: 'cancel',
      target: { goalId: goal.goalId, ...(taskId !== undefined ? { taskId } : {}) },
      reason,
    };
    return { topic: this.topics.control(), key: goal.goalId, message };
  }

  private build(cause: Envelope, type: GoalEventType, taskId?: string, attempt?: number, data?: JsonObject): OutboundMessage {
    // Fields assigned onto the fresh envelope rather than spread after it: same keys in the same
    // order, without V8's slow path for object spreads followed by more properties (hot: 2 per task).
    const fields: { type: GoalEventType; taskId?: string; attempt?: number; data?: JsonObject } = { type };
    if (taskId !== undefined) fields.taskId = taskId;
    if (attempt !== undefined) fields.attempt = attempt;
    if (data !== undefined) fields.data = data;
    const message: GoalEventMessage = Object.assign(newEnvelope('event', cause), fields);
    return { topic: this.topics.events(), key: cause.goalId, message };
  }
}
