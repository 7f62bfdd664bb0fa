import { GoalMessage, JsonObject, newEnvelope, TaskMessage } from '@agentos/contracts';

/** A valid Task message for tests; fields overridable. */
export function sampleTask(overrides: Partial<TaskMessage> = {}): TaskMessage {
  const goalId = overrides.goalId ?? 'goal-1';
  const taskId = overrides.taskId ?? 'task-1';
  return {
    ...newEnvelope('task', { goalId }),
    taskId,
    attempt: 1,
    workerType: 'io',
    tool: 'noop',
    input: {},
    timeoutMs: 5_000,
    idempotencyKey: `${goalId}:${taskId}`,
    ...overrides,
  };
}

/** A valid Goal message with an explicit plan, for tests. */
export function sampleGoal(goalId: string, plan: GoalMessage['plan'], extra: Partial<GoalMessage> = {}): GoalMessage {
  return { ...newEnvelope('goal', { goalId }), goal: `test goal ${goalId}`, plan, ...extra };
}

export function noopTasks(count: number, workerType = 'io', input: JsonObject = {}): NonNullable<GoalMessage['plan']> {
  return { tasks: Array.from({ length: count }, (_, i) => ({ id: `t${i}`, workerType, tool: 'noop', input })) };
}
