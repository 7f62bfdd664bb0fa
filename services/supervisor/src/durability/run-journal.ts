import {
  CLAIM_KEY,
  claimGoalId,
  Envelope,
  FinishedStatus,
  LIMITS,
  MAX_PROGRESS_ENTRIES,
  newEnvelope,
  RunClaimRecord,
  RunFinishedRecord,
  RunRecordMessage,
  TaskError,
  TaskProgress,
  TopicRegistry,
} from '@agentos/contracts';
import { OutboundMessage } from '@agentos/runtime';
import { randomUUID } from 'node:crypto';
import { Run } from '../runs/run';
import { TaskStatus } from '../runs/task-status';

/** Room left in a record for everything but the task entries' outputs. */
const PROGRESS_BYTES_BUDGET = Math.floor(LIMITS.maxMessageBytes * 0.8);

/**
 * Writes a run's durable state to the compacted runs topic, into the same batch as the step's
 * tasks and events: the bus acknowledges the batch before the result or goal that caused it is
 * committed, so what a restarted supervisor reads is never behind what was consumed.
 *
 * A run is a snapshot (goal, plan, counters) followed by progress records: what settled in
 * each step, coalesced per run until the step is flushed. A new snapshot restarts the run's
 * record; `finished` ends it and stays (a goal delivered again is not run twice).
 */
export class RunJournal {
  private readonly pending = new Map<Run, TaskProgress[]>();

  constructor(
    private readonly topics: TopicRegistry,
    readonly writer: string,
  ) {}

  /** The whole run from scratch: at start, after a replan, on restore and periodically. */
  snapshot(run: Run, out: OutboundMessage[]): void {
    this.pending.delete(run);
    run.snapshotAt = Date.now();
    const ownPlan = run.plan.graph !== run.goal.plan;
    this.push(run, out, {
      ...newEnvelope('run', run.goal),
      record: 'snapshot',
      writer: this.writer,
      goal: run.goal,
      ...(ownPlan ? { plan: run.plan.graph } : {}),
      startedAt: run.startedAt,
      maxConcurrency: run.maxConcurrency,
      replans: run.replans,
      dispatches: run.dispatches,
      paused: run.paused,
    });
    const settled = settledTasks(run);
    if (settled.length > 0) this.writeProgress(run, settled, out);
  }

  succeeded(run: Run, index: number, attempt: number): void {
    this.note(run, { taskId: run.plan.nodes[index]!.id, attempt, state: 'succeeded', output: run.outputs[index] ?? null });
  }

  /** A failed attempt and what the failure policy made of it. */
  failed(run: Run, index: number, attempt: number, error: TaskError, decision: string, retried: boolean): void {
    this.note(run, { taskId: run.plan.nodes[index]!.id, attempt, state: retried ? 'retry' : 'failed', error, decision });
  }

  /** Counters changed (pause, resume) with no task settled. */
  touch(run: Run): void {
    if (!this.pending.has(run)) this.pending.set(run, []);
  }

  finished(run: Run, status: FinishedStatus, out: OutboundMessage[]): void {
    this.flushRun(run, out);
    this.finishedGoal(run.goal, run.partition, status, out);
  }

  /** The terminal record of a goal, with or without a run. */
  finishedGoal(goal: Envelope, partition: number, status: FinishedStatus, out: OutboundMessage[]): void {
    const message: RunFinishedRecord = { ...newEnvelope('run', goal), record: 'finished', writer: this.writer, status };
    out.push({ topic: this.topics.runs(), key: goal.goalId, partition, message });
  }

  /** Forgets what a run that is no longer ours had pending. */
  drop(run: Run): void {
    this.pending.delete(run);
  }

  /** Whether any run has progress not yet handed out by `drain`. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Appends the pending progress of every run to `out`. */
  drain(out: OutboundMessage[]): void {
    for (const run of this.pending.keys()) this.flushRun(run, out);
  }

  /** A record taking partition `partition` over for this instance. */
  claim(partition: number): { readonly claimId: string; readonly message: OutboundMessage } {
    const claimId = randomUUID();
    const goalId = claimGoalId(partition);
    const record: RunClaimRecord = {
      ...newEnvelope('run', { goalId }),
      record: 'claim',
      writer: this.writer,
      partition,
      claimId,
    };
    return { claimId, message: { topic: this.topics.runs(), key: CLAIM_KEY, partition, message: record } };
  }

  private note(run: Run, progress: TaskProgress): void {
    const list = this.pending.get(run);
    if (list) list.push(progress);
    else this.pending.set(run, [progress]);
  }

  private flushRun(run: Run, out: OutboundMessage[]): void {
    const tasks = this.pending.get(run);
    if (!tasks) return;
    this.pending.delete(run);
    this.writeProgress(run, tasks, out);
  }

  /** One or more progress records, each within the entry limit and a message's size. */
  private writeProgress(run: Run, tasks: readonly TaskProgress[], out: OutboundMessage[]): void {
    let chunk: TaskProgress[] = [];
    let bytes = 0;
    const emit = () => {
      this.push(run, out, {
        ...newEnvelope('run', run.goal),
        record: 'progress',
        writer: this.writer,
        tasks: chunk,
        dispatches: run.dispatches,
        paused: run.paused,
      });
      chunk = [];
      bytes = 0;
    };
    for (const task of tasks) {
      const size = task.output === undefined || task.output === null ? 0 : JSON.stringify(task.output).length;
      if (chunk.length > 0 && (chunk.length >= MAX_PROGRESS_ENTRIES || bytes + size > PROGRESS_BYTES_BUDGET)) emit();
      chunk.push(task);
      bytes += size;
    }
    emit();
  }

  private push(run: Run, out: OutboundMessage[], message: RunRecordMessage): void {
    out.push({ topic: this.topics.runs(), key: run.goalId, partition: run.partition, message });
  }
}

/** Every settled task of a run as progress entries, with the decisions taken on the way. */
function settledTasks(run: Run): TaskProgress[] {
  const entries: TaskProgress[] = [];
  for (const [index, decisions] of run.history) {
    const taskId = run.plan.nodes[index]!.id;
    decisions.forEach((decision, position) => {
      const last = position === decisions.length - 1;
      const failed = last && run.taskStatus[index] === TaskStatus.Failed;
      entries.push({ taskId, attempt: decision.attempt, state: failed ? 'failed' : 'retry', error: decision.error, decision: decision.decision });
    });
  }
  for (let index = 0; index < run.size; index++) {
    if (run.taskStatus[index] === TaskStatus.Succeeded) {
      entries.push({ taskId: run.plan.nodes[index]!.id, attempt: run.attempts[index]!, state: 'succeeded', output: run.outputs[index] ?? null });
    }
  }
  return entries;
}
