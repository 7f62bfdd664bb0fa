import {
  encode,
  GoalEventMessage,
  GoalMessage,
  newEnvelope,
  ResultMessage,
  TaskMessage,
} from '@agentos/contracts';
import { sampleTask } from '@agentos/test-kit';

/** The bench's unit of work: `count` independent noop tasks on io workers, as one goal. */
export function noopGoal(goalId: string, count: number, maxConcurrency?: number): GoalMessage {
  return {
    ...newEnvelope('goal', { goalId }),
    goal: `bench: ${count} independent noop tasks`,
    plan: { tasks: Array.from({ length: count }, (_, i) => ({ id: `t${i}`, workerType: 'io', tool: 'noop', input: {} })) },
    ...(maxConcurrency !== undefined ? { options: { maxConcurrency } } : {}),
    submitter: 'bench',
  };
}

/** A Task as the supervisor dispatches one of the bench's noop tasks. */
export function typicalTask(goalId = 'bench-m4k2x9c1-abc123', taskId = 't1234'): TaskMessage {
  return sampleTask({ goalId, taskId, timeoutMs: 30_000 });
}

/** The Result an io worker reports for it. */
export function typicalResult(task: TaskMessage = typicalTask()): ResultMessage {
  const at = new Date().toISOString();
  return {
    ...newEnvelope('result', task),
    taskId: task.taskId,
    attempt: task.attempt,
    workerType: 'io',
    workerId: 'io-benchhost-12345-a1b2c3',
    status: 'succeeded',
    output: { echo: null },
    timings: { receivedAt: at, startedAt: at, finishedAt: at, runMs: 0 },
  };
}

/** The `task.succeeded` event the supervisor publishes for it. */
export function typicalSucceededEvent(result: ResultMessage = typicalResult()): GoalEventMessage {
  return {
    ...newEnvelope('event', result),
    type: 'task.succeeded',
    taskId: result.taskId,
    attempt: result.attempt,
    data: {
      workerId: result.workerId,
      latencyMs: 3.141,
      runMs: result.timings.runMs,
      startedAt: result.timings.startedAt,
      finishedAt: result.timings.finishedAt,
    },
  };
}

/** Encoded sizes, so the raw baseline carries records of the same size. */
export function typicalSizes(): { taskBytes: number; resultBytes: number } {
  const task = typicalTask();
  return { taskBytes: encode(task).length, resultBytes: encode(typicalResult(task)).length };
}
