import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EnvelopeDto } from '../envelope/envelope.dto';
import { Envelope } from '../envelope/envelope';
import { IsTimestamp } from '../envelope/is-timestamp.decorator';
import { TaskError } from '../errors/task-error';
import { TASK_ERROR_CODES, TaskErrorCode } from '../errors/task-error-code';
import { IsBoundedJson } from '../json/is-bounded-json.decorator';
import { JsonObject, JsonValue } from '../json/json-value';
import { ID_PATTERN, LIMITS, WORKER_TYPE_PATTERN } from '../limits';

export const RESULT_STATUSES = ['succeeded', 'failed'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface ResultTimings {
  /** When the worker took the task off the bus. */
  readonly receivedAt: string;
  /** When the tool started (after waiting for a pool slot). */
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Time the tool ran, in ms. */
  readonly runMs: number;
}

interface ResultBase extends Envelope<'result'> {
  readonly taskId: string;
  readonly attempt: number;
  readonly workerType: string;
  readonly workerId: string;
  readonly timings: ResultTimings;
  /**
   * Cost units the attempt spent, as its tool reported them (money or tokens, converted by the
   * tool); absent when it reported none. The supervisor's memory learns from it.
   */
  readonly cost?: number;
}

export interface SucceededResult extends ResultBase {
  readonly status: 'succeeded';
  readonly output: JsonValue;
}

export interface FailedResult extends ResultBase {
  readonly status: 'failed';
  readonly error: TaskError;
}

/** What a worker reports for one task attempt. */
export type ResultMessage = SucceededResult | FailedResult;

export class TaskErrorDto implements TaskError {
  @IsIn(TASK_ERROR_CODES)
  readonly code!: TaskErrorCode;

  @IsString()
  @MaxLength(LIMITS.maxErrorMessageLength)
  readonly message!: string;

  @IsBoolean()
  readonly retriable!: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxTaskTimeoutMs)
  readonly retryAfterMs?: number;

  @IsOptional()
  @IsBoundedJson({ objectOnly: true })
  readonly details?: JsonObject;
}

export class ResultTimingsDto implements ResultTimings {
  @IsTimestamp()
  readonly receivedAt!: string;

  @IsTimestamp()
  readonly startedAt!: string;

  @IsTimestamp()
  readonly finishedAt!: string;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  readonly runMs!: number;
}

/** Validates both result shapes: `output` when succeeded, `error` when failed. */
export class ResultMessageDto extends EnvelopeDto<'result'> {
  @Equals('result')
  readonly kind!: 'result';

  @IsString()
  @Matches(ID_PATTERN)
  readonly taskId!: string;

  @IsInt()
  @Min(1)
  @Max(LIMITS.maxAttempts)
  readonly attempt!: number;

  @IsString()
  @Matches(WORKER_TYPE_PATTERN)
  readonly workerType!: string;

  @IsString()
  @Matches(ID_PATTERN)
  readonly workerId!: string;

  @IsIn(RESULT_STATUSES)
  readonly status!: ResultStatus;

  @ValidateIf((result: ResultMessageDto) => result.status === 'succeeded')
  @IsBoundedJson()
  readonly output?: JsonValue;

  @ValidateIf((result: ResultMessageDto) => result.status === 'failed')
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskErrorDto)
  readonly error?: TaskErrorDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ResultTimingsDto)
  readonly timings!: ResultTimingsDto;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(LIMITS.maxResultCost)
  readonly cost?: number;
}
