import { Equals, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { EnvelopeDto } from '../envelope/envelope.dto';
import { Envelope } from '../envelope/envelope';
import { IsBoundedJson } from '../json/is-bounded-json.decorator';
import { JsonObject } from '../json/json-value';
import { ID_PATTERN, LIMITS, TOOL_NAME_PATTERN, WORKER_TYPE_PATTERN } from '../limits';

/** One attempt at one task, sent by the supervisor to a worker type's pool. */
export interface TaskMessage extends Envelope<'task'> {
  readonly taskId: string;
  /** 1 for the first run; each retry increments it. */
  readonly attempt: number;
  readonly workerType: string;
  readonly tool: string;
  /** Fully resolved: upstream references are already bound to their values. */
  readonly input: JsonObject;
  readonly timeoutMs: number;
  /** Stable across attempts: tools with side effects apply them once per key. */
  readonly idempotencyKey: string;
}

export class TaskMessageDto extends EnvelopeDto<'task'> implements TaskMessage {
  @Equals('task')
  readonly kind!: 'task';

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
  @Matches(TOOL_NAME_PATTERN)
  readonly tool!: string;

  @IsBoundedJson({ objectOnly: true })
  readonly input!: JsonObject;

  @IsInt()
  @Min(1)
  @Max(LIMITS.maxTaskTimeoutMs)
  readonly timeoutMs!: number;

  @IsString()
  @Length(1, 512)
  readonly idempotencyKey!: string;
}
