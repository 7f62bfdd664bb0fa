import { GoalMessage, JsonValue, TaskError, TaskNode } from '@agentos/contracts';
import { FifoQueue } from '@agentos/runtime';
import { GoalTrace } from '../memory/goal-trace';
import { ValidatedPlan } from '../planning/validated-plan';
import { TaskStatus } from './task-status';

/**
 * Internal statuses, the goal goes on: `replaced`, superseded by a spliced run after a replan;
 * `released`, its partition moved to another supervisor instance, which drives it from now on.
 */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'replaced' | 'released';

/** A decision taken about a task, kept for the failure report. */
export interface TaskDecision {
  readonly attempt: number;
  readonly error: TaskError;
  readonly decision: string;
}

/**
 * The state of one goal being run: per-task status in flat arrays indexed like the plan,
 * and per-worker-type ready queues so a saturated pool never holds up another pool's tasks.
 */
export class Run {
  status: RunStatus = 'running';
  readonly taskStatus: Uint8Array;
  readonly attempts: Uint16Array;
  readonly waitingOn: Uint32Array;
  readonly dispatchedAt: Float64Array;
  /** Dispatch-to-result time of each succeeded task, in ms. */
  readonly latencyMs: Float64Array;
  /** Cost units workers reported for each task, all attempts together. */
  readonly costs: Float64Array;
  readonly outputs: (JsonValue | undefined)[];
  readonly history = new Map<number, TaskDecision[]>();
  readonly readyByWorkerType = new Map<string, FifoQueue<number>>();
  /** Paused by an operator: nothing new is dispatched; tasks in flight finish and are recorded. */
  paused = false;
  /** Set while the supervisor itself holds dispatching: while a new plan is made, or the result summarised. */
  hold: 'replanning' | 'summarizing' | undefined;
  /** Task dispatches (retries included) the goal's budget allows. */
  readonly maxDispatches: number;
  /** Set by the scheduler when a task was ready but the budget was spent. */
  budgetExhausted = false;
  /** New plans this goal has had after failures. */
  replans = 0;
  inFlight = 0;
  succeeded = 0;
  dispatches = 0;
  /** When the run's last snapshot was written to the runs journal (epoch ms). */
  snapshotAt = 0;
  /** What memory follows of the goal (absent when memory is off); carried to the successor. */
  trace: GoalTrace | undefined;

  constructor(
    readonly goal: GoalMessage,
    readonly plan: ValidatedPlan,
    readonly maxConcurrency: number,
    readonly startedAt: number = Date.now(),
    /** The goal's partition: the supervisor instance owning it drives the run. */
    readonly partition: number = 0,
  ) {
    this.maxDispatches = goal.options?.budget?.maxTasks ?? Number.POSITIVE_INFINITY;
    const size = plan.nodes.length;
    this.taskStatus = new Uint8Array(size);
    this.attempts = new Uint16Array(size);
    this.waitingOn = new Uint32Array(size);
    this.dispatchedAt = new Float64Array(size);
    this.latencyMs = new Float64Array(size);
    this.costs = new Float64Array(size);
    this.outputs = new Array<JsonValue | undefined>(size);
    plan.dependencies.forEach((upstream, index) => {
      this.waitingOn[index] = upstream.length;
      if (upstream.length === 0) this.markReady(index);
    });
  }

  get goalId(): string {
    return this.goal.goalId;
  }

  get size(): number {
    return this.plan.nodes.length;
  }

  /** Whether the scheduler may dispatch this run's ready tasks now. */
  get canDispatch(): boolean {
    return this.status === 'running' && !this.paused && this.hold === undefined;
  }

  get isFinished(): boolean {
    return this.status !== 'running';
  }

  get allSucceeded(): boolean {
    return this.succeeded === this.size;
  }

  markReady(index: number): void {
    this.taskStatus[index] = TaskStatus.Ready;
    const workerType = this.plan.nodes[index]!.workerType;
    let queue = this.readyByWorkerType.get(workerType);
    if (!queue) {
      queue = new FifoQueue<number>();
      this.readyByWorkerType.set(workerType, queue);
    }
    queue.push(index);
  }

  /** Carries a task finished under a previous plan into this one (a replan keeps finished outputs). */
  restoreSucceeded(index: number, output: JsonValue | undefined): void {
    this.complete(index, output ?? null);
  }

  /** Records a success; returns the dependents that became ready. */
  complete(index: number, output: JsonValue): number[] {
    if (this.taskStatus[index] === TaskStatus.Dispatched) this.inFlight--;
    this.taskStatus[index] = TaskStatus.Succeeded;
    this.outputs[index] = output;
    this.succeeded++;
    const unblocked: number[] = [];
    for (const dependent of this.plan.dependents[index]!) {
      if (--this.waitingOn[dependent]! === 0 && this.taskStatus[dependent] === TaskStatus.Pending) {
        this.markReady(dependent);
        unblocked.push(dependent);
      }
    }
    return unblocked;
  }

  /** The run that carries on under a new plan: finished tasks with their outputs, counters and partition kept. */
  successor(plan: ValidatedPlan, finished: ReadonlyArray<{ readonly node: TaskNode; readonly output: JsonValue | undefined }>): Run {
    const next = new Run(this.goal, plan, this.maxConcurrency, this.startedAt, this.partition);
    next.replans = this.replans + 1;
    next.dispatches = this.dispatches;
    next.trace = this.trace;
    for (const { node, output } of finished) {
      const index = plan.indexOf.get(node.id)!;
      next.restoreSucceeded(index, output);
      const previous = this.plan.indexOf.get(node.id);
      if (previous !== undefined) {
        next.costs[index] = this.costs[previous]!;
        next.latencyMs[index] = this.latencyMs[previous]!;
        next.attempts[index] = this.attempts[previous]!;
      }
    }
    return next;
  }

  recordDecision(index: number, decision: TaskDecision): void {
    const list = this.history.get(index);
    if (list) list.push(decision);
    else this.history.set(index, [decision]);
  }
}
