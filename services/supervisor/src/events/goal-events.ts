import {
  Envelope,
  GoalEventMessage,
  GoalEventType,
  JsonObject,
  newEnvelope,
  TopicRegistry,
} from '@agentos/contracts';
import { OutboundMessage } from '@agentos/runtime';

/** Builds goal lifecycle events for the events topic (keyed by goalId, like everything about a goal). */
export class GoalEvents {
  constructor(
    private readonly topics: TopicRegistry,
    private readonly includeTaskEvents: boolean,
  ) {}

  goal(cause: Envelope, type: GoalEventType, data?: JsonObject): OutboundMessage {
    return this.build(cause, type, undefined, undefined, data);
  }

  /** A task-level event, or undefined when task events are switched off. */
  task(cause: Envelope, type: GoalEventType, taskId: string, attempt: number, data?: JsonObject): OutboundMessage | undefined {
    return this.includeTaskEvents ? this.build(cause, type, taskId, attempt, data) : undefined;
  }

  private build(cause: Envelope, type: GoalEventType, taskId?: string, attempt?: number, data?: JsonObject): OutboundMessage {
    const message: GoalEventMessage = {
      ...newEnvelope('event', cause),
      type,
      ...(taskId !== undefined ? { taskId } : {}),
      ...(attempt !== undefined ? { attempt } : {}),
      ...(data !== undefined ? { data } : {}),
    };
    return { topic: this.topics.events(), key: cause.goalId, message };
  }
}
