import { Type } from 'class-transformer';
import {
  Equals,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { EnvelopeDto } from '../envelope/envelope.dto';
import { Envelope } from '../envelope/envelope';
import { LIMITS } from '../limits';
import { TaskGraph } from '../plan/task-graph';
import { TaskGraphDto } from '../plan/task-graph.dto';

export interface GoalBudget {
  /** Most task dispatches (attempts included) the goal may spend. */
  readonly maxTasks?: number;
  /** Most LLM tokens the goal may spend. */
  readonly maxTokens?: number;
}

export interface GoalOptions {
  /** Most tasks of this goal in flight at once. */
  readonly maxConcurrency?: number;
  /** Wall-clock time the goal may take from acceptance, in ms. */
  readonly deadlineMs?: number;
  /** 0 (lowest) to 9 (highest). */
  readonly priority?: number;
  readonly budget?: GoalBudget;
}

/** A goal submitted to the supervisor: free text, optionally with an explicit plan. */
export interface GoalMessage extends Envelope<'goal'> {
  readonly goal: string;
  readonly plan?: TaskGraph;
  readonly options?: GoalOptions;
  readonly submitter?: string;
}

export class GoalBudgetDto implements GoalBudget {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  readonly maxTasks?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  readonly maxTokens?: number;
}

export class GoalOptionsDto implements GoalOptions {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxGoalConcurrency)
  readonly maxConcurrency?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxGoalDeadlineMs)
  readonly deadlineMs?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(9)
  readonly priority?: number;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GoalBudgetDto)
  readonly budget?: GoalBudgetDto;
}

export class GoalMessageDto extends EnvelopeDto<'goal'> implements GoalMessage {
  @Equals('goal')
  readonly kind!: 'goal';

  @IsString()
  @Length(1, LIMITS.maxGoalTextLength)
  readonly goal!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskGraphDto)
  readonly plan?: TaskGraphDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GoalOptionsDto)
  readonly options?: GoalOptionsDto;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  readonly submitter?: string;
}
