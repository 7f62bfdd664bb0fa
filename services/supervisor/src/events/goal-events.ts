import {
  ControlMessage,
  Envelope,
  GoalEventMessage,
  GoalEventType,
  JsonObject,
  newEnvelope,
  TopicRegistry,
} from '@agentos/contracts';
import { OutboundMessage, SupervisorMetrics } from '@agentos/runtime';
import { TaskEventLevel } from '../config/supervisor.config';

const FAILURE_EVENTS: ReadonlySet<GoalEventType> = new Set(['task.failed', 'task.retry_scheduled']);

/** A goal's final status, by the event that announces it. */
const FINAL_STATUS: ReadonlyMap<GoalEventType, string> = new Map([
  ['goal.succeeded', 'succeeded'],
  ['goal.failed', 'failed'],
  ['goal.cancelled', 'cancelled'],
  ['goal.rejected', 'rejected'],
]);

/**
 * Builds the supervisor's outgoing notices: goal lifecycle events (keyed by goalId) and cancels for
 * workers. Every goal's final status and every memory decision is announced here, so this is
 * where they are counted (`metrics`).
 */
export class GoalEvents {
  constructor(
    private readonly topics: TopicRegistry,
    private readonly taskEvents: TaskEventLevel,
    private readonly metrics?: SupervisorMetrics,
  ) {}

  goal(cause: Envelope, type: GoalEventType, data?: JsonObject): OutboundMessage {
    if (this.metrics) this.count(type, data);
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

  private count(type: GoalEventType, data: JsonObject | undefined): void {
    const status = FINAL_STATUS.get(type);
    if (status !== undefined) this.metrics!.goalFinished(status);
    else if (type === 'memory.decision') this.metrics!.memoryDecision(typeof data?.decision === 'string' ? data.decision : 'unknown');
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
