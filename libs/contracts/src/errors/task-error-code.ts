/**
 * What a worker reports when a task fails. String codes because `instanceof` does not
 * survive a process boundary; the supervisor alone decides what each one means.
 */
export const TASK_ERROR_CODES = [
  'timeout',
  'rate_limited',
  'logic_error',
  'invalid_input',
  'tool_not_found',
  'transient',
  'cancelled',
  'internal',
] as const;

export type TaskErrorCode = (typeof TASK_ERROR_CODES)[number];

/** Whether retrying the same task unchanged can succeed, when the reporter does not say. */
export const DEFAULT_RETRIABLE: Readonly<Record<TaskErrorCode, boolean>> = {
  timeout: true,
  rate_limited: true,
  transient: true,
  logic_error: false,
  invalid_input: false,
  tool_not_found: false,
  cancelled: false,
  internal: false,
};

export function isTaskErrorCode(value: unknown): value is TaskErrorCode {
  return typeof value === 'string' && (TASK_ERROR_CODES as readonly string[]).includes(value);
}
