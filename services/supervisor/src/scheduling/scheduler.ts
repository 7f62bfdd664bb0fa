import { JsonObject, newEnvelope, TaskMessage, TopicRegistry } from '@agentos/contracts';
import { OutboundMessage, SupervisorMetrics } from '@agentos/runtime';
import { DeadlineTracker } from '../deadlines/deadline-tracker';
import { GoalEvents } from '../events/goal-events';
import { Run } from '../runs/run';
import { TaskStatus } from '../runs/task-status';
import { bindInput, UnresolvedReferenceError } from './input-binder';
import { PoolLimits } from './pool-limits';

export interface SchedulerOptions {
  readonly defaultTimeoutMs: number;
  readonly deadlineGraceMs: number;
}

/** A task that could not be dispatched because its input could not be bound. */
export interface BindFailure {
  readonly index: number;
  readonly error: UnresolvedReferenceError;
}

/**
 * Dispatches every ready task a run may start now, within the goal's concurrency and each
 * pool's limit, binding upstream outputs into inputs. Produces messages; the caller
 * publishes them in one batch.
 */
export class Scheduler {
  constructor(
    private readonly topics: TopicRegistry,
    private readonly pools: PoolLimits,
    private readonly deadlines: DeadlineTracker,
    private readonly events: GoalEvents,
    private readonly options: SchedulerOptions,
    private readonly metrics: SupervisorMetrics,
  ) {}

  fill(run: Run, out: OutboundMessage[], bindFailures: BindFailure[]): void {
    if (!run.canDispatch) return;
    for (const [workerType, ready] of run.readyByWorkerType) {
      while (ready.length > 0 && run.inFlight < run.maxConcurrency) {
        if (run.dispatches >= run.maxDispatches) {
          run.budgetExhausted = true;
          return;
        }
        if (!this.pools.hasRoom(workerType)) {
          this.pools.waitFor(workerType, run);
          break;
        }
        const index = ready.shift()!;
        // A task restored as finished by a replan may still sit in a ready queue.
        if (run.taskStatus[index] !== TaskStatus.Ready) continue;
        const message = this.taskMessage(run, index, bindFailures);
        // A task whose input cannot be bound takes no slot (so no waiting run is owed a wake-up).
        if (!message) continue;
        this.pools.tryAcquire(workerType);
        run.inFlight++;
        run.dispatches++;
        run.taskStatus[index] = TaskStatus.Dispatched;
        run.dispatchedAt[index] = performance.now();
        this.deadlines.trackTask(run, index, message.attempt, message.timeoutMs + this.options.deadlineGraceMs);
        out.push({ topic: this.topics.tasks(workerType), key: message.taskId, message });
        this.metrics.taskDispatched(workerType, message.tool);
        const event = this.events.task(run.goal, 'task.dispatched', message.taskId, message.attempt, { workerType, tool: message.tool });
        if (event) out.push(event);
      }
    }
  }

  private taskMessage(run: Run, index: number, bindFailures: BindFailure[]): TaskMessage | undefined {
    const node = run.plan.nodes[index]!;
    let input: JsonObject = node.input ?? {};
    if (run.plan.hasRefs[index]) {
      try {
        input = bindInput(input, (taskId) => run.outputs[run.plan.indexOf.get(taskId)!]);
      } catch (error) {
        if (!(error instanceof UnresolvedReferenceError)) throw error;
        bindFailures.push({ index, error });
        return undefined;
      }
    }
    const attempt = ++run.attempts[index]!;
    // Object.assign onto the fresh envelope, not `{ ...envelope, ...fields }`: same keys in the
    // same order, but V8 (node 20) builds a spread followed by this many fields ~10x slower.
    return Object.assign(newEnvelope('task', run.goal), {
      taskId: node.id,
      attempt,
      workerType: node.workerType,
      tool: node.tool,
      input,
      timeoutMs: node.timeoutMs ?? this.options.defaultTimeoutMs,
      idempotencyKey: `${run.goalId}:${node.id}`,
    });
  }
}
