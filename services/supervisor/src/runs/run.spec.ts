import { GoalMessage, newEnvelope, TaskGraph } from '@agentos/contracts';
import { StaticToolCatalog } from '../catalog/tool-catalog';
import { PlanValidator } from '../planning/plan-validator';
import { Run } from './run';
import { TaskStatus } from './task-status';

const validator = new PlanValidator(new StaticToolCatalog({ io: ['noop', 'fs.read'], logic: ['noop', 'csv.parse'] }));

function runOf(graph: TaskGraph, maxConcurrency = 8): Run {
  const validation = validator.validate(graph);
  if (!validation.ok) throw new Error(`invalid test plan: ${JSON.stringify(validation.errors)}`);
  const goal: GoalMessage = { ...newEnvelope('goal', { goalId: 'goal-1' }), goal: 'test', plan: graph };
  return new Run(goal, validation.plan, maxConcurrency);
}

/** Task ids ready per worker type, in queue order (reads each queue by draining and refilling it). */
function ready(run: Run): Record<string, string[]> {
  const snapshot: Record<string, string[]> = {};
  for (const [workerType, queue] of run.readyByWorkerType) {
    const indexes = queue.drain();
    indexes.forEach((index) => queue.push(index));
    if (indexes.length > 0) snapshot[workerType] = indexes.map((index) => run.plan.nodes[index]!.id);
  }
  return snapshot;
}

const id = (run: Run) => (index: number): string => run.plan.nodes[index]!.id;
const indexOf = (run: Run, taskId: string): number => run.plan.indexOf.get(taskId)!;

/** Takes a ready task off its queue as the scheduler does, marking it dispatched. */
function dispatch(run: Run, taskId: string): number {
  const index = indexOf(run, taskId);
  const queue = run.readyByWorkerType.get(run.plan.nodes[index]!.workerType)!;
  expect(queue.shift()).toBe(index);
  run.taskStatus[index] = TaskStatus.Dispatched;
  run.inFlight++;
  return index;
}

// read (io) ─┬─> parse (logic) ─┐
//            └─> size  (io)   ──┴─> report (logic)       audit (io), independent
const diamond: TaskGraph = {
  tasks: [
    { id: 'read', workerType: 'io', tool: 'fs.read' },
    { id: 'parse', workerType: 'logic', tool: 'csv.parse', input: { text: { $ref: 'read.body' } } },
    { id: 'size', workerType: 'io', tool: 'noop', dependsOn: ['read'] },
    { id: 'report', workerType: 'logic', tool: 'noop', dependsOn: ['parse', 'size'] },
    { id: 'audit', workerType: 'io', tool: 'noop' },
    { id: 'seed', workerType: 'logic', tool: 'noop' },
  ],
};

describe('Run', () => {
  it('starts running with the roots ready, queued per worker type in plan order', () => {
    const run = runOf(diamond, 3);
    expect(run).toMatchObject({ status: 'running', goalId: 'goal-1', size: 6, maxConcurrency: 3, inFlight: 0, succeeded: 0, dispatches: 0 });
    expect(run.isFinished).toBe(false);
    expect(ready(run)).toEqual({ io: ['read', 'audit'], logic: ['seed'] });
    expect([...run.taskStatus]).toEqual([TaskStatus.Ready, TaskStatus.Pending, TaskStatus.Pending, TaskStatus.Pending, TaskStatus.Ready, TaskStatus.Ready]);
    expect([...run.waitingOn]).toEqual([0, 1, 1, 2, 0, 0]);
  });

  it('unblocks a dependent only when all its dependencies have succeeded', () => {
    const run = runOf(diamond);
    const read = dispatch(run, 'read');
    expect(run.complete(read, { body: 'x' }).map(id(run))).toEqual(['parse', 'size']);
    expect(ready(run)).toEqual({ io: ['audit', 'size'], logic: ['seed', 'parse'] });

    dispatch(run, 'seed');
    const parse = dispatch(run, 'parse');
    expect(run.complete(parse, { rows: [] })).toEqual([]);
    expect(run.taskStatus[indexOf(run, 'report')]).toBe(TaskStatus.Pending);
    expect(run.waitingOn[indexOf(run, 'report')]).toBe(1);

    dispatch(run, 'audit');
    const size = dispatch(run, 'size');
    expect(run.complete(size, 1).map(id(run))).toEqual(['report']);
    expect(run.taskStatus[indexOf(run, 'report')]).toBe(TaskStatus.Ready);
    expect(ready(run)).toEqual({ logic: ['report'] });
  });

  it('keeps outputs, counts successes and in-flight tasks, and knows when all succeeded', () => {
    const run = runOf({ tasks: [{ id: 'a', workerType: 'io', tool: 'noop' }, { id: 'b', workerType: 'io', tool: 'noop', dependsOn: ['a'] }] });
    const a = dispatch(run, 'a');
    expect(run.inFlight).toBe(1);
    run.complete(a, { value: 1 });
    expect(run).toMatchObject({ inFlight: 0, succeeded: 1 });
    expect(run.taskStatus[a]).toBe(TaskStatus.Succeeded);
    expect(run.outputs[a]).toEqual({ value: 1 });
    expect(run.allSucceeded).toBe(false);

    const b = dispatch(run, 'b');
    run.complete(b, null);
    expect(run).toMatchObject({ inFlight: 0, succeeded: 2 });
    expect(run.outputs[b]).toBeNull();
    expect(run.allSucceeded).toBe(true);
    expect(run.isFinished).toBe(false); // finishing is the driver's decision
  });

  it('does not count a completion as leaving flight when the task was not dispatched (a retry was scheduled)', () => {
    const run = runOf({ tasks: [{ id: 'a', workerType: 'io', tool: 'noop' }, { id: 'b', workerType: 'io', tool: 'noop' }] });
    dispatch(run, 'a');
    const b = dispatch(run, 'b');
    run.taskStatus[b] = TaskStatus.RetryScheduled;
    run.inFlight--;
    run.complete(b, 'late success');
    expect(run).toMatchObject({ inFlight: 1, succeeded: 1 });
  });

  it('does not re-queue a dependent that is no longer pending', () => {
    const run = runOf({ tasks: [{ id: 'a', workerType: 'io', tool: 'noop' }, { id: 'b', workerType: 'io', tool: 'noop', dependsOn: ['a'] }] });
    const b = indexOf(run, 'b');
    run.taskStatus[b] = TaskStatus.Failed;
    expect(run.complete(dispatch(run, 'a'), 1)).toEqual([]);
    expect(ready(run)).toEqual({});
  });

  it('markReady queues a task again, at the back of its pool queue (a retry)', () => {
    const run = runOf(diamond);
    const read = dispatch(run, 'read');
    run.markReady(read);
    expect(run.taskStatus[read]).toBe(TaskStatus.Ready);
    expect(ready(run)).toEqual({ io: ['audit', 'read'], logic: ['seed'] });
  });

  it('records the decisions taken about each task, in order', () => {
    const run = runOf(diamond);
    const error = { code: 'timeout' as const, message: 'slow', retriable: true };
    run.recordDecision(0, { attempt: 1, error, decision: 'retry' });
    run.recordDecision(0, { attempt: 2, error, decision: 'fail_goal' });
    run.recordDecision(2, { attempt: 1, error, decision: 'retry' });
    expect(run.history.get(0)!.map((decision) => decision.decision)).toEqual(['retry', 'fail_goal']);
    expect(run.history.get(2)).toHaveLength(1);
    expect(run.history.has(1)).toBe(false);
  });

  it('runs a wide fan-in: the join is ready only after the last of its 1,000 dependencies', () => {
    const leaves = Array.from({ length: 1_000 }, (_, i) => ({ id: `leaf${i}`, workerType: 'io', tool: 'noop' }));
    const run = runOf({ tasks: [...leaves, { id: 'join', workerType: 'logic', tool: 'noop', dependsOn: leaves.map((leaf) => leaf.id) }] });
    for (let i = 0; i < 999; i++) expect(run.complete(dispatch(run, `leaf${i}`), i)).toEqual([]);
    expect(run.complete(dispatch(run, 'leaf999'), 999).map(id(run))).toEqual(['join']);
    expect(run.succeeded).toBe(1_000);
  });

  it('hands a new plan on as its successor: finished outputs, counters, start time and partition kept', () => {
    const validation = validator.validate(diamond);
    if (!validation.ok) throw new Error('invalid test plan');
    const goal: GoalMessage = { ...newEnvelope('goal', { goalId: 'goal-1' }), goal: 'test', plan: diamond };
    const run = new Run(goal, validation.plan, 3, 1_764_000_000_000, 5);
    const read = dispatch(run, 'read');
    run.complete(read, { body: 'x' });
    run.dispatches = 4;

    const next = run.successor(validation.plan, [{ node: run.plan.nodes[read]!, output: { body: 'x' } }]);
    expect(next).toMatchObject({ partition: 5, startedAt: 1_764_000_000_000, maxConcurrency: 3, replans: 1, dispatches: 4, succeeded: 1 });
    expect(next.outputs[read]).toEqual({ body: 'x' });
    // `read` may stay queued: the scheduler skips a queued task that is no longer ready.
    expect([...next.taskStatus]).toEqual([TaskStatus.Succeeded, TaskStatus.Ready, TaskStatus.Ready, TaskStatus.Pending, TaskStatus.Ready, TaskStatus.Ready]);
  });
});
