import { IsBoundedJson, JsonValue } from '@agentos/contracts';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { abortableDelay } from '../tools/abortable-delay';
import { Tool, ToolContext } from '../tools/tool';
import { ToolError } from '../tools/tool-error';

export class NoopInput {
  /** Returned unchanged as `echo`. */
  @IsOptional()
  @IsBoundedJson()
  readonly echo?: JsonValue;

  /** Waits this long before answering (for concurrency and deadline tests); honours cancellation. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  readonly delayMs?: number;
}

export class NoopOutput {
  @IsOptional()
  @IsBoundedJson()
  readonly echo!: JsonValue;
}

/** Does nothing (optionally after a delay) and echoes its input: the benchmark's unit of work. */
export class NoopTool implements Tool<NoopInput, NoopOutput> {
  readonly name = 'noop';
  readonly description = 'Does nothing, optionally after delayMs, and returns `echo` unchanged.';
  readonly input = NoopInput;
  readonly output = NoopOutput;
  readonly sideEffects = false;

  async execute(input: NoopInput, context: ToolContext): Promise<NoopOutput> {
    if (input.delayMs) {
      try {
        await abortableDelay(input.delayMs, context.signal);
      } catch (reason) {
        throw reason instanceof ToolError ? reason : new ToolError('cancelled', 'noop was aborted', { cause: reason });
      }
    }
    return { echo: input.echo ?? null };
  }
}
