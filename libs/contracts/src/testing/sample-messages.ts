// Valid messages of every kind, for this library's specs (not exported from the package).
import { newEnvelope } from '../envelope/new-envelope';
import { MessageKind } from '../envelope/message-kind';
import { CapabilitiesMessage } from '../messages/capabilities.message';
import { ANY_GOAL, ControlMessage } from '../messages/control.message';
import { GoalEventMessage } from '../messages/goal-event.message';
import { GoalMessage } from '../messages/goal.message';
import { FailedResult, SucceededResult } from '../messages/result.message';
import { RunProgressRecord, RunSnapshotRecord } from '../messages/run-record.message';
import { TaskMessage } from '../messages/task.message';

/** A topic each kind belongs on. */
export const TOPIC_OF_KIND: Readonly<Record<MessageKind, string>> = {
  goal: 'agentos.goals.v1',
  task: 'agentos.tasks.logic.v1',
  result: 'agentos.results.v1',
  control: 'agentos.control.v1',
  event: 'agentos.events.v1',
  capabilities: 'agentos.capabilities.v1',
  run: 'agentos.runs.v1',
};

const GOAL_ID = 'goal-1';
const AT = '2025-01-01T12:00:00.000Z';

export function sampleGoal(overrides: Partial<GoalMessage> = {}): GoalMessage {
  return {
    ...newEnvelope('goal', { goalId: GOAL_ID }),
    goal: 'Sum the totals of orders.csv',
    plan: {
      tasks: [
        { id: 'read', workerType: 'io', tool: 'fs.read', input: { path: 'orders.csv' } },
        { id: 'parse', workerType: 'logic', tool: 'csv.parse', input: { text: { $ref: 'read' } }, dependsOn: ['read'] },
        { id: 'sum', workerType: 'logic', tool: 'math.sum', input: { values: { $ref: 'parse.rows' } }, timeoutMs: 5_000, maxAttempts: 3 },
      ],
      outputs: ['sum'],
    },
    options: { maxConcurrency: 4, deadlineMs: 60_000, priority: 5, budget: { maxTasks: 20, maxTokens: 10_000 } },
    submitter: 'cli',
    ...overrides,
  };
}

export function sampleTask(overrides: Partial<TaskMessage> = {}): TaskMessage {
  return {
    ...newEnvelope('task', { goalId: GOAL_ID }),
    taskId: 'parse',
    attempt: 1,
    workerType: 'logic',
    tool: 'csv.parse',
    input: { text: 'id,total\n1,10\n2,32\n', options: { header: true, delimiter: ',' } },
    timeoutMs: 30_000,
    idempotencyKey: `${GOAL_ID}:parse`,
    ...overrides,
  };
}

const TIMINGS = { receivedAt: AT, startedAt: AT, finishedAt: AT, runMs: 12.5 };

export function sampleSucceededResult(overrides: Partial<SucceededResult> = {}): SucceededResult {
  return {
    ...newEnvelope('result', { goalId: GOAL_ID }),
    taskId: 'parse',
    attempt: 1,
    workerType: 'logic',
    workerId: 'logic-7f3a',
    status: 'succeeded',
    output: { rows: [{ id: 1, total: 10 }, { id: 2, total: 32 }], count: 2 },
    timings: TIMINGS,
    cost: 0.42,
    ...overrides,
  };
}

export function sampleFailedResult(overrides: Partial<FailedResult> = {}): FailedResult {
  return {
    ...newEnvelope('result', { goalId: GOAL_ID }),
    taskId: 'parse',
    attempt: 2,
    workerType: 'logic',
    workerId: 'logic-7f3a',
    status: 'failed',
    error: { code: 'rate_limited', message: 'upstream said 429', retriable: true, retryAfterMs: 1_000, details: { status: 429 } },
    timings: TIMINGS,
    ...overrides,
  };
}

export function sampleControl(overrides: Partial<ControlMessage> = {}): ControlMessage {
  return {
    ...newEnvelope('control', { goalId: GOAL_ID }),
    signal: 'set_concurrency',
    target: { workerType: 'io' },
    value: 8,
    reason: 'rate limited upstream',
    ...overrides,
  };
}

export function sampleEvent(overrides: Partial<GoalEventMessage> = {}): GoalEventMessage {
  return {
    ...newEnvelope('event', { goalId: GOAL_ID }),
    type: 'task.succeeded',
    taskId: 'parse',
    attempt: 1,
    data: { output: { count: 2 } },
    ...overrides,
  };
}

export function sampleCapabilities(overrides: Partial<CapabilitiesMessage> = {}): CapabilitiesMessage {
  return {
    ...newEnvelope('capabilities', { goalId: ANY_GOAL, correlationId: 'logic-7f3a' }),
    workerType: 'logic',
    workerId: 'logic-7f3a',
    concurrency: 16,
    ttlMs: 30_000,
    tools: [
      {
        name: 'math.evaluate',
        description: 'Evaluates a mathjs expression.',
        sideEffects: false,
        inputSchema: { type: 'object', properties: { expression: { type: 'string', maxLength: 2_000 } }, required: ['expression'] },
        outputSchema: { type: 'object', properties: { value: {} } },
      },
    ],
    ...overrides,
  };
}

export function sampleRunSnapshot(overrides: Partial<RunSnapshotRecord> = {}): RunSnapshotRecord {
  const goal = sampleGoal();
  return {
    ...newEnvelope('run', goal),
    record: 'snapshot',
    writer: 'supervisor-1',
    goal,
    startedAt: 1_764_000_000_000,
    maxConcurrency: 8,
    replans: 0,
    dispatches: 2,
    paused: false,
    ...overrides,
  };
}

export function sampleRunProgress(overrides: Partial<RunProgressRecord> = {}): RunProgressRecord {
  return {
    ...newEnvelope('run', { goalId: GOAL_ID }),
    record: 'progress',
    writer: 'supervisor-1',
    tasks: [
      { taskId: 'parse', attempt: 1, state: 'succeeded', output: { count: 2 } },
      { taskId: 'fetch', attempt: 1, state: 'retry', error: { code: 'timeout', message: 'no result', retriable: true }, decision: 'retry' },
    ],
    dispatches: 3,
    paused: false,
    ...overrides,
  };
}

/** A JSON object nested exactly `depth` levels deep (`{}` is 1). */
export function nestedObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < depth; level++) value = { next: value };
  return value;
}

/** A message as untyped JSON, for feeding decode broken variants of it. */
export function asPlain(message: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
}
