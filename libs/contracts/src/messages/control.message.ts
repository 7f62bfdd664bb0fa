import { Type } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EnvelopeDto } from '../envelope/envelope.dto';
import { Envelope } from '../envelope/envelope';
import { ID_PATTERN, WORKER_TYPE_PATTERN } from '../limits';

export const CONTROL_SIGNALS = ['cancel', 'pause', 'resume', 'set_concurrency', 'drain'] as const;
export type ControlSignal = (typeof CONTROL_SIGNALS)[number];

/** What a control signal applies to; the narrowest given field wins. */
export interface ControlTarget {
  readonly goalId?: string;
  readonly taskId?: string;
  readonly workerType?: string;
}

/**
 * An operator's or the supervisor's instruction, broadcast to every worker instance.
 * `goalId` in the envelope is the goal concerned, or `*` for signals about a whole pool.
 */
export interface ControlMessage extends Envelope<'control'> {
  readonly signal: ControlSignal;
  readonly target: ControlTarget;
  /** For `set_concurrency`: the new limit. */
  readonly value?: number;
  readonly reason?: string;
}

export const ANY_GOAL = '*';

/** A goal id, or ANY_GOAL for a signal about a whole pool. */
export const CONTROL_GOAL_ID_PATTERN = new RegExp(`^(?:\\*|${ID_PATTERN.source.slice(1, -1)})$`);

export class ControlTargetDto implements ControlTarget {
  @IsOptional()
  @Matches(ID_PATTERN)
  readonly goalId?: string;

  @IsOptional()
  @Matches(ID_PATTERN)
  readonly taskId?: string;

  @IsOptional()
  @Matches(WORKER_TYPE_PATTERN)
  readonly workerType?: string;
}

export class ControlMessageDto extends EnvelopeDto<'control'> implements ControlMessage {
  @Equals('control')
  readonly kind!: 'control';

  /** Replaces the envelope's rule: a control message may concern every goal (ANY_GOAL). */
  @IsString()
  @Matches(CONTROL_GOAL_ID_PATTERN)
  override readonly goalId!: string;

  @IsIn(CONTROL_SIGNALS)
  readonly signal!: ControlSignal;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ControlTargetDto)
  readonly target!: ControlTargetDto;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  readonly value?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1_024)
  readonly reason?: string;
}
