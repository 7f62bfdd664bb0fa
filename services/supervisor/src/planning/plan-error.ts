export const PLAN_ERROR_CODES = [
  'duplicate_task',
  'unknown_dependency',
  'self_dependency',
  'invalid_reference',
  'unknown_reference',
  'cycle',
  'unknown_worker_type',
  'unknown_tool',
  'unknown_output',
  'too_many_tasks',
] as const;
export type PlanErrorCode = (typeof PLAN_ERROR_CODES)[number];

/** One precise reason a plan cannot run. */
export interface PlanError {
  readonly code: PlanErrorCode;
  readonly message: string;
  readonly taskId?: string;
}
