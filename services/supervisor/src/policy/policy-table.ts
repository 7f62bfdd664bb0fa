import { isTaskErrorCode, TaskErrorCode } from '@agentos/contracts';

export const FAILURE_STRATEGIES = ['retry', 'replan', 'fail'] as const;
export type FailureStrategy = (typeof FAILURE_STRATEGIES)[number];

/** What each kind of failure means. An operator overrides entries with SUPERVISOR_FAILURE_POLICY. */
export type PolicyTable = Readonly<Record<TaskErrorCode, FailureStrategy>>;

export const DEFAULT_POLICY_TABLE: PolicyTable = {
  // The task may well work next time: run it (and what waits on it) again, with backoff.
  timeout: 'retry',
  transient: 'retry',
  // Retried after retryAfterMs, with the worker type's dispatch limit lowered (AIMD).
  rate_limited: 'retry',
  // The same task would fail the same way: the plan must change.
  logic_error: 'replan',
  invalid_input: 'replan',
  tool_not_found: 'replan',
  cancelled: 'fail',
  internal: 'fail',
};

/**
 * Parses an operator's overrides (`{"internal":"retry","logic_error":"fail"}`) over the defaults;
 * a string listing every problem when they are not valid.
 */
export function policyTableFrom(overrides: string | undefined): PolicyTable | string {
  if (overrides === undefined || overrides.trim() === '') return DEFAULT_POLICY_TABLE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(overrides);
  } catch (error) {
    return `SUPERVISOR_FAILURE_POLICY is not JSON: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'SUPERVISOR_FAILURE_POLICY must be a JSON object of error code -> strategy';
  }
  const problems: string[] = [];
  const table: Record<string, FailureStrategy> = { ...DEFAULT_POLICY_TABLE };
  for (const [code, strategy] of Object.entries(parsed)) {
    if (!isTaskErrorCode(code)) problems.push(`unknown error code "${code}"`);
    else if (!(FAILURE_STRATEGIES as readonly unknown[]).includes(strategy)) {
      problems.push(`${code}: "${String(strategy)}" is not one of ${FAILURE_STRATEGIES.join(', ')}`);
    } else table[code] = strategy as FailureStrategy;
  }
  return problems.length > 0 ? `SUPERVISOR_FAILURE_POLICY: ${problems.join('; ')}` : (table as PolicyTable);
}
