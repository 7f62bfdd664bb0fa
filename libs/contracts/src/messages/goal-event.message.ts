import { Equals, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EnvelopeDto } from '../envelope/envelope.dto';
import { Envelope } from '../envelope/envelope';
import { IsBoundedJson } from '../json/is-bounded-json.decorator';
import { JsonObject } from '../json/json-value';
import { ID_PATTERN, LIMITS } from '../limits';

export const GOAL_EVENT_TYPES = [
  'goal.accepted',
  'goal.rejected',
  'goal.planned',
  'task.dispatched',
  'task.succeeded',
  'task.failed',
  'task.retry_scheduled',
  'goal.replanned',
  'goal.paused',
  'goal.resumed',
  /** A supervisor instance took the goal's partition over and drives it from its journaled state. */
  'goal.restored',
  /**
   * The supervisor's memory contributed to a decision (plan reuse, planner examples, worker-type
   * assignment, recovery strategy): data says which decision and what memory knew.
   */
  'memory.decision',
  'goal.succeeded',
  'goal.failed',
  'goal.cancelled',
] as const;
export type GoalEventType = (typeof GOAL_EVENT_TYPES)[number];

export const TERMINAL_GOAL_EVENTS: readonly GoalEventType[] = [
  'goal.rejected',
  'goal.succeeded',
  'goal.failed',
  'goal.cancelled',
];

/** A step in a goal's life, published by the supervisor for observers. */
export interface GoalEventMessage extends Envelope<'event'> {
  readonly type: GoalEventType;
  readonly taskId?: string;
  readonly attempt?: number;
  /** Type-specific details: outputs on success, the error and report on failure. */
  readonly data?: JsonObject;
}

export class GoalEventMessageDto extends EnvelopeDto<'event'> implements GoalEventMessage {
  @Equals('event')
  readonly kind!: 'event';

  @IsIn(GOAL_EVENT_TYPES)
  readonly type!: GoalEventType;

  @IsOptional()
  @Matches(ID_PATTERN)
  readonly taskId?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxAttempts)
  readonly attempt?: number;

  @IsOptional()
  @IsBoundedJson({ objectOnly: true })
  readonly data?: JsonObject;
}
