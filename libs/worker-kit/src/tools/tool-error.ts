import { DEFAULT_RETRIABLE, JsonObject, TaskError, TaskErrorCode } from '@agentos/contracts';
import { AgentOsError } from '@agentos/runtime';

/** An expected tool failure, reported to the supervisor as a structured TaskError. */
export class ToolError extends AgentOsError {
  constructor(
    readonly taskErrorCode: TaskErrorCode,
    message: string,
    options: { retriable?: boolean; retryAfterMs?: number; details?: JsonObject; cause?: unknown } = {},
  ) {
    super(taskErrorCode, message, options.retriable ?? DEFAULT_RETRIABLE[taskErrorCode], options.details ?? {}, {
      cause: options.cause,
    });
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  readonly retryAfterMs: number | undefined;
  readonly details: JsonObject | undefined;

  toTaskError(): TaskError {
    return {
      code: this.taskErrorCode,
      message: this.message,
      retriable: this.retriable,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

export const invalidInput = (message: string, details?: JsonObject): ToolError =>
  new ToolError('invalid_input', message, details ? { details } : {});
export const logicError = (message: string, details?: JsonObject): ToolError =>
  new ToolError('logic_error', message, details ? { details } : {});
export const transientError = (message: string, cause?: unknown): ToolError =>
  new ToolError('transient', message, { cause });
