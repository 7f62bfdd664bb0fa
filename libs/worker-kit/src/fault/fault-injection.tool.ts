import { IsBoundedJson, JsonValue, TASK_ERROR_CODES, TaskErrorCode } from '@agentos/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { abortableDelay } from '../tools/abortable-delay';
import { Tool, ToolContext } from '../tools/tool';
import { ToolError } from '../tools/tool-error';

export class FaultSpec {
  @IsIn(TASK_ERROR_CODES)
  readonly code!: TaskErrorCode;

  /** Attempts that fail (1 is the first run); every attempt when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsInt({ each: true })
  @Min(1, { each: true })
  readonly attempts?: number[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly retryAfterMs?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  readonly message?: string;
}

export class FaultInjectionInput {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FaultSpec)
  readonly fail?: FaultSpec;

  /** Works this long first (honouring cancellation); longer than the task's timeout makes it hang past its deadline. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  readonly delayMs?: number;

  @IsOptional()
  @IsBoundedJson()
  readonly output?: JsonValue;
}

export class FaultInjectionOutput {
  @IsOptional()
  @IsBoundedJson()
  readonly output!: JsonValue;

  @IsInt()
  readonly attempt!: number;
}

/**
 * Fails, hangs or succeeds on chosen attempts, so tests can drive every branch of the
 * supervisor's failure policy through real workers. Registered only when the worker is started
 * with WORKER_FAULT_INJECTION=true: never in a production pool.
 */
export class FaultInjectionTool implements Tool<FaultInjectionInput, FaultInjectionOutput> {
  readonly name = 'fault.inject';
  readonly description = 'Test only: fails with a chosen error code on chosen attempts, or waits, then returns `output`.';
  readonly input = FaultInjectionInput;
  readonly output = FaultInjectionOutput;
  readonly sideEffects = false;

  async execute(input: FaultInjectionInput, context: ToolContext): Promise<FaultInjectionOutput> {
    if (input.delayMs) await abortableDelay(input.delayMs, context.signal);
    const fault = input.fail;
    if (fault && (fault.attempts === undefined || fault.attempts.includes(context.attempt))) {
      throw new ToolError(fault.code, fault.message ?? `injected ${fault.code} on attempt ${context.attempt}`, {
        ...(fault.retryAfterMs !== undefined ? { retryAfterMs: fault.retryAfterMs } : {}),
      });
    }
    return { output: input.output ?? null, attempt: context.attempt };
  }
}
