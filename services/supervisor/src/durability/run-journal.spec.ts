import { decode, encode, GoalMessage, LIMITS, newEnvelope, RunRecordMessage, TaskGraph, TopicRegistry } from '@agentos/contracts';
import { OutboundMessage } from '@agentos/runtime';
import { PlanValidator } from '../planning/plan-validator';
import { Run } from '../runs/run';
import { TaskStatus } from '../runs/task-status';
import { RunJournal } from './run-journal';
import { restoreRun } from './run-restorer';
import { RunView } from './run-view';

const topics = new TopicRegistry({ workerTypes: ['io', 'logic'] });
const PARTITION = 3;

// fetch ─┬─> parse ─┐
//        └─> size  ─┴─> report        audit (independent)
const graph: TaskGraph = {
  tasks: [
    { id: 'fetch', workerType: 'io', tool: 'noop' },
    { id: 'parse', workerType: 'logic', tool: 'noop', dependsOn: ['fetch'] },
    { id: 'size', workerType: 'io', tool: 'noop', dependsOn: ['fetch'] },
    { id: 'report', workerType: 'logic', tool: 'noop', dependsOn: ['parse', 'size'] },
    { id: 'audit', workerType: 'io', tool: 'noop' },
  ],
};

function newRun(plan: TaskGraph = graph, goalId = 'goal-1'): Run {
  const validation = new PlanValidator(undefined).validate(plan);
  if (!validation.ok) throw new Error('invalid test plan');
  const goal: GoalMessage = { ...newEnvelope('goal', { goalId }), goal: 'test', plan: graph };
  return new Run(goal, validation.plan, 4, 1_764_000_000_000, PARTITION);
}

/** Dispatches a task as the scheduler would (attempt counted up, in flight). */
function dispatch(run: Run, taskId: string): number {
  const index = run.plan.indexOf.get(taskId)!;
  run.attempts[index]!++;
  run.taskStatus[index] = TaskStatus.Dispatched;
  run.inFlight++;
  run.dispatches++;
  return index;
}

/** The records a partition holds, in order, with their offsets. */
class PartitionLog {
  readonly records: Array<{ offset: number; partition: number; record: RunRecordMessage }> = [];

  append(out: readonly OutboundMessage[]): this {
    for (const { topic, message, partition } of out) {
      const decoded = decode(topic, encode(message));
      if (!decoded.ok) throw new Error(`${decoded.error.code}: ${decoded.error.reason}`);
      this.records.push({ offset: this.records.length, partition: partition!, record: decoded.message as RunRecordMessage });
    }
    return this;
  }
}

/** Every record through the wire format, as another instance reads it. */
function replay(view: RunView, out: readonly OutboundMessage[], log = new PartitionLog()): PartitionLog {
  const from = log.records.length;
  log.append(out);
  for (const { record, partition, offset } of log.records.slice(from)) view.apply(record, partition, offset);
  return log;
}

function statusOf(run: Run, taskId: string): TaskStatus {
  return run.taskStatus[run.plan.indexOf.get(taskId)!]!;
}

describe('RunJournal, RunView and restoreRun', () => {
  it('restores outputs, attempts and decisions, and leaves in-flight tasks to go out again with the same attempt', () => {
    const journal = new RunJournal(topics, 'sup-a');
    const view = new RunView('reader');
    const run = newRun();
    const out: OutboundMessage[] = [];
    journal.snapshot(run, out);

    const fetch = dispatch(run, 'fetch');
    run.complete(fetch, { body: 'a,b' });
    journal.succeeded(run, fetch, 1);
    const size = dispatch(run, 'size');
    run.recordDecision(size, { attempt: 1, error: { code: 'timeout', message: 'slow', retriable: true }, decision: 'retry' });
    journal.failed(run, size, 1, { code: 'timeout', message: 'slow', retriable: true }, 'retry', true);
    dispatch(run, 'parse');
    dispatch(run, 'audit');
    journal.drain(out);
    replay(view, out);

    const [journaled] = view.runningIn(PARTITION);
    const restored = restoreRun(journaled!);
    if (!restored.ok) throw new Error(restored.reason);
    const copy = restored.run;
    expect(restored.failure).toBeUndefined();
    expect(copy).toMatchObject({ goalId: 'goal-1', partition: PARTITION, startedAt: run.startedAt, maxConcurrency: 4, succeeded: 1, dispatches: 4, inFlight: 0 });
    expect(copy.outputs[fetch]).toEqual({ body: 'a,b' });
    expect(statusOf(copy, 'fetch')).toBe(TaskStatus.Succeeded);
    // parse and audit were in flight: ready again, their attempt counter where the dispatch left it minus the lost one.
    expect([statusOf(copy, 'parse'), statusOf(copy, 'audit'), statusOf(copy, 'size')]).toEqual([TaskStatus.Ready, TaskStatus.Ready, TaskStatus.Ready]);
    expect([...copy.attempts]).toEqual([1, 0, 1, 0, 0]);
    expect(copy.history.get(size)).toEqual([{ attempt: 1, error: { code: 'timeout', message: 'slow', retriable: true }, decision: 'retry' }]);
  });

  it('reports a task that failed for good while the goal still ran, so the new owner decides again', () => {
    const journal = new RunJournal(topics, 'sup-a');
    const view = new RunView('reader');
    const run = newRun();
    const out: OutboundMessage[] = [];
    journal.snapshot(run, out);
    const fetch = dispatch(run, 'fetch');
    journal.failed(run, fetch, 1, { code: 'logic_error', message: 'bad', retriable: false }, 'replan', false);
    journal.drain(out);
    replay(view, out);

    const restored = restoreRun(view.runningIn(PARTITION)[0]!);
    expect(restored).toMatchObject({ ok: true, failure: { index: fetch, attempt: 1, decision: 'replan', error: { code: 'logic_error' } } });
  });

  it('starts a run over from a new snapshot, which carries every settled task (a checkpoint or a replan)', () => {
    const journal = new RunJournal(topics, 'sup-a');
    const view = new RunView('reader');
    const run = newRun();
    const out: OutboundMessage[] = [];
    journal.snapshot(run, out);
    const fetch = dispatch(run, 'fetch');
    run.complete(fetch, 1);
    journal.succeeded(run, fetch, 1);
    journal.drain(out);
    journal.snapshot(run, out);
    replay(view, out);

    const journaled = view.runningIn(PARTITION)[0]!;
    expect(journaled.progress).toEqual([{ taskId: 'fetch', attempt: 1, state: 'succeeded', output: 1 }]);
    expect(journaled.snapshot.plan).toBeUndefined();
  });

  it("journals a plan that is not the goal's own with the snapshot", () => {
    const journal = new RunJournal(topics, 'sup-a');
    const view = new RunView('reader');
    const replanned: TaskGraph = { tasks: [{ id: 'again', workerType: 'io', tool: 'noop' }] };
    const out: OutboundMessage[] = [];
    journal.snapshot(newRun(replanned), out);
    replay(view, out);
    const restored = restoreRun(view.runningIn(PARTITION)[0]!);
    expect(restored.ok && restored.run.plan.nodes.map((node) => node.id)).toEqual(['again']);
  });

  it('splits a large step into records that each fit in a message', () => {
    const journal = new RunJournal(topics, 'sup-a');
    const tasks: TaskGraph = { tasks: Array.from({ length: 8 }, (_, i) => ({ id: `t${i}`, workerType: 'io', tool: 'noop' })) };
    const run = newRun(tasks);
    const big = 'x'.repeat(300_000);
    for (let i = 0; i < 8; i++) {
      const index = dispatch(run, `t${i}`);
      run.complete(index, big);
      journal.succeeded(run, index, 1);
    }
    const out: OutboundMessage[] = [];
    journal.drain(out);
    expect(out.length).toBeGreaterThan(1);
    for (const record of out) expect(encode(record.message).length).toBeLessThanOrEqual(LIMITS.maxMessageBytes);
    const view = new RunView('reader');
    const snapshot: OutboundMessage[] = [];
    journal.snapshot(newRun(tasks), snapshot);
    replay(view, [snapshot[0]!, ...out]);
    expect(view.runningIn(PARTITION)[0]!.progress).toHaveLength(8);
  });

  it('forgets a finished goal as running and remembers its status', () => {
    const journal = new RunJournal(topics, 'sup-a');
    const view = new RunView('reader');
    const run = newRun();
    const out: OutboundMessage[] = [];
    journal.snapshot(run, out);
    journal.finished(run, 'succeeded', out);
    replay(view, out);
    expect(view.runningIn(PARTITION)).toEqual([]);
    expect(view.finishedIn(PARTITION)).toEqual([['goal-1', 'succeeded']]);
  });

  it("ignores what a former owner writes after another instance's claim (fencing)", () => {
    const zombie = new RunJournal(topics, 'sup-a');
    const successor = new RunJournal(topics, 'sup-b');
    const view = new RunView('sup-c');
    const run = newRun();
    const before: OutboundMessage[] = [zombie.claim(PARTITION).message];
    zombie.snapshot(run, before);
    const log = replay(view, before);

    const claim = successor.claim(PARTITION);
    const read = jest.fn();
    void view.whenClaimRead(claim.claimId).then(read);
    const after: OutboundMessage[] = [claim.message];
    zombie.finished(run, 'failed', after);
    replay(view, after, log);

    expect(view.ownerOf(PARTITION)).toBe('sup-b');
    expect(view.fencedRecords).toBe(1);
    expect(view.runningIn(PARTITION)).toHaveLength(1);
    return Promise.resolve().then(() => expect(read).toHaveBeenCalled());
  });

  it('tells the former owner it lost a partition once, and not again when the topic is read a second time', () => {
    const self = new RunJournal(topics, 'sup-a');
    const other = new RunJournal(topics, 'sup-b');
    const view = new RunView('sup-a');
    const lost: Array<[number, string]> = [];
    view.onPartitionLost((partition, claimant) => lost.push([partition, claimant]));

    // sup-b owned the partition first, then sup-a took it over, then sup-b took it back.
    const log = replay(view, [other.claim(PARTITION).message, self.claim(PARTITION).message]);
    expect(lost).toEqual([]);
    replay(view, [other.claim(PARTITION).message], log);
    expect(lost).toEqual([[PARTITION, 'sup-b']]);

    replay(view, [self.claim(PARTITION).message], log);
    // The reader's group rejoined without committed offsets: everything is read again.
    for (const { record, partition, offset } of log.records) view.apply(record, partition, offset);
    expect(lost).toEqual([[PARTITION, 'sup-b']]);
    expect(view.ownerOf(PARTITION)).toBe('sup-a');
  });

  it('writes claims to the partition they claim, under the claim key', () => {
    const { message } = new RunJournal(topics, 'sup-a').claim(7);
    expect(message).toMatchObject({ topic: topics.runs(), key: '__claim', partition: 7, message: { record: 'claim', partition: 7, writer: 'sup-a' } });
  });
});
