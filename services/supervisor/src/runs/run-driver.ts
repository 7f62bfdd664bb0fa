import { Logger } from '@nestjs/common';
import { FinishedStatus, GoalMessage, JsonObject, ResultMessage, TaskError, TaskNode } from '@agentos/contracts';
import { MessageBus, OutboundMessage, SupervisorMetrics } from '@agentos/runtime';
import { DeadlineTracker } from '../deadlines/deadline-tracker';
import { RunJournal } from '../durability/run-journal';
import { PendingFailure } from '../durability/run-restorer';
import { GoalEvents } from '../events/goal-events';
import { AdaptiveConcurrency } from '../policy/adaptive-concurrency';
import { retiredOutcomes } from '../memory/finished-run';
import { PendingRecovery } from '../memory/goal-trace';
import { RecoveryAction } from '../memory/recovery-chooser';
import { SupervisorMemory } from '../memory/supervisor-memory';
import { ToolOffering } from '../memory/worker-assigner';
import { FailureDecision, FailurePolicy } from '../policy/failure-policy';
import { BindFailure, Scheduler } from '../scheduling/scheduler';
import { PoolLimits } from '../scheduling/pool-limits';
import { failureReport, goalOutputs, runStats } from './goal-report';
import { ReplanContext } from '../planning/replan-context';
import { ValidatedPlan } from '../planning/validated-plan';
import { GoalSummarizer } from '../summary/goal-summarizer';
import { Run } from './run';
import { Replanner, requestReplan } from './replan-request';
import { RunRegistry } from './run-registry';
import { TaskStatus } from './task-status';

export interface RunDriverOptions {
  readonly defaultMaxAttempts: number;
  readonly maxReplans: number;
}

/**
 * Moves runs forward: starts them, applies results, turns missed deadlines into timeouts,
 * asks the failure policy what a failure means, and finishes goals. Everything it decides
 * is published in one batch per step (tasks and events together).
 */
export class RunDriver {
  private readonly logger = new Logger(RunDriver.name);
  private scheduler!: Scheduler;
  private deadlines!: DeadlineTracker;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  duplicatesAbsorbed = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly runs: RunRegistry,
    private readonly pools: PoolLimits,
    private readonly policy: FailurePolicy,
    private readonly events: GoalEvents,
    private readonly options: RunDriverOptions,
    private readonly concurrency: AdaptiveConcurrency,
    private readonly metrics: SupervisorMetrics,
    /** Absent on the in-process bus: nothing outlives the process there. */
    private readonly journal?: RunJournal,
  ) {}

  private replanner: Replanner | undefined;
  private summarizer: GoalSummarizer | undefined;
  private memory: { readonly memory: SupervisorMemory; readonly offering: ToolOffering } | undefined;

  /** Wired after construction: the scheduler and the deadline tracker call back into the driver. */
  attach(
    scheduler: Scheduler,
    deadlines: DeadlineTracker,
    llm: { replanner?: Replanner; summarizer?: GoalSummarizer } = {},
    memory?: { readonly memory: SupervisorMemory; readonly offering: ToolOffering },
  ): void {
    this.scheduler = scheduler;
    this.deadlines = deadlines;
    this.replanner = llm.replanner;
    this.summarizer = llm.summarizer;
    this.memory = memory;
  }

  async start(run: Run, out: OutboundMessage[]): Promise<void> {
    this.runs.add(run);
    const deadlineMs = run.goal.options?.deadlineMs;
    if (deadlineMs !== undefined) this.deadlines.trackGoal(run, deadlineMs);
    this.journal?.snapshot(run, out);
    this.advance(run, out);
    await this.flush(out);
  }

  /**
   * Drives a run restored from the journal (this instance took its partition over): its
   * deadline counts from when it first started; tasks that were in flight go out again; a
   * failure whose replan was under way is decided again.
   */
  async resume(run: Run, failure?: PendingFailure): Promise<void> {
    const out: OutboundMessage[] = [];
    this.runs.add(run);
    const deadlineMs = run.goal.options?.deadlineMs;
    if (deadlineMs !== undefined) this.deadlines.trackGoal(run, Math.max(0, run.startedAt + deadlineMs - Date.now()));
    this.journal?.snapshot(run, out);
    out.push(this.events.goal(run.goal, 'goal.restored', { succeeded: run.succeeded, tasks: run.size, replans: run.replans }));
    if (failure && failure.decision === 'replan' && this.replanner) {
      run.hold = 'replanning';
      void this.replan(run, failure.index, failure.error, this.replanner);
    } else if (failure) {
      this.finish(run, 'failed', out, failureReport(run, failure.index, `task ${run.plan.nodes[failure.index]!.id} failed: ${failure.error.message}`));
    } else {
      this.advance(run, out);
    }
    await this.flush(out);
  }

  /** A journaled goal that cannot be run again (its plan no longer parses): it fails, with why. */
  async abandon(goal: GoalMessage, partition: number, reason: string): Promise<void> {
    const out: OutboundMessage[] = [this.events.goal(goal, 'goal.failed', { reason: `the goal could not be restored: ${reason}` })];
    this.journal?.finishedGoal(goal, partition, 'failed', out);
    this.runs.rememberFinished(goal.goalId, 'failed');
    await this.flush(out);
  }

  /** Stops driving the runs another instance drives now: no events, no journal records; timers cleared. */
  release(which: (run: Run) => boolean): number {
    let released = 0;
    for (const run of [...this.runs.activeRuns()]) {
      if (!which(run)) continue;
      run.status = 'released';
      this.freePoolSlots(run);
      this.deadlines.clearRun(run);
      this.pools.forget(run);
      this.journal?.drop(run);
      this.runs.release(run.goalId);
      released++;
    }
    // Runs still driven here may have waited for the slots just freed: flush dispatches them.
    this.flushInBackground([]);
    return released;
  }

  /** Writes a fresh snapshot of every run whose last one is older than `maxAgeMs` (see RUNS_MIN_COMPACTION_LAG_MS). */
  async checkpoint(maxAgeMs: number): Promise<void> {
    if (!this.journal) return;
    const out: OutboundMessage[] = [];
    const now = Date.now();
    for (const run of this.runs.activeRuns()) if (now - run.snapshotAt >= maxAgeMs) this.journal.snapshot(run, out);
    await this.flush(out);
  }

  async onResult(result: ResultMessage): Promise<void> {
    const run = this.runs.get(result.goalId);
    const index = run?.plan.indexOf.get(result.taskId);
    if (!run || index === undefined || run.isFinished) {
      this.duplicatesAbsorbed++;
      return;
    }
    const status = run.taskStatus[index];
    const out: OutboundMessage[] = [];
    // Every attempt's spend counts, a late duplicate's included: it was paid for.
    if (result.cost) run.costs[index] += result.cost;
    if (result.status === 'succeeded') {
      // A success from any attempt that was dispatched is a valid output, while the task is unsettled;
      // a higher attempt was never sent, so that result is forged.
      if ((status !== TaskStatus.Dispatched && status !== TaskStatus.RetryScheduled) || result.attempt > run.attempts[index]!) {
        this.duplicatesAbsorbed++;
        return;
      }
      this.settleAttempt(run, index, status);
      const node = run.plan.nodes[index]!;
      for (const waiting of this.concurrency.onSuccess(node.workerType)) this.pendingWakeups.add(waiting);
      const latencyMs = performance.now() - run.dispatchedAt[index]!;
      run.latencyMs[index] = latencyMs;
      this.metrics.taskSucceeded(node.workerType, node.tool, latencyMs / 1000);
      const event = this.events.task(result, 'task.succeeded', result.taskId, result.attempt, {
        workerId: result.workerId,
        latencyMs: Math.round(latencyMs * 1000) / 1000,
        runMs: result.timings.runMs,
        startedAt: result.timings.startedAt,
        finishedAt: result.timings.finishedAt,
      });
      if (event) out.push(event);
      run.complete(index, result.output);
      this.journal?.succeeded(run, index, result.attempt);
      this.advance(run, out);
    } else {
      if (status !== TaskStatus.Dispatched || result.attempt !== run.attempts[index]) {
        this.duplicatesAbsorbed++;
        return;
      }
      this.settleAttempt(run, index, status);
      const node = run.plan.nodes[index]!;
      this.metrics.taskFailed(node.workerType, node.tool, (performance.now() - run.dispatchedAt[index]!) / 1000);
      this.onFailure(run, index, result.attempt, result.error, out);
    }
    await this.flush(out);
  }

  /** An operator's cancel: the goal ends as cancelled; workers stop its running tasks. */
  async cancel(run: Run, reason: string): Promise<void> {
    if (run.isFinished) return;
    const out: OutboundMessage[] = [];
    this.finish(run, 'cancelled', out, { reason, stats: runStats(run) });
    await this.flush(out);
  }

  /** Stops or restarts dispatching a goal's tasks; what is in flight carries on either way. */
  async setPaused(run: Run, paused: boolean, reason: string): Promise<void> {
    if (run.isFinished || run.paused === paused) return;
    run.paused = paused;
    this.journal?.touch(run);
    const out: OutboundMessage[] = [this.events.goal(run.goal, paused ? 'goal.paused' : 'goal.resumed', { reason, inFlight: run.inFlight })];
    if (!paused) this.advance(run, out);
    await this.flush(out);
  }

  /** A new dispatch limit for a worker type across all goals; runs that waited on it try again. */
  async setPoolConcurrency(workerType: string, limit: number): Promise<void> {
    const out: OutboundMessage[] = [];
    for (const waiting of this.concurrency.setCeiling(workerType, limit)) this.pendingWakeups.add(waiting);
    this.drainWakeups(out);
    await this.flush(out);
  }

  cancelAll(): void {
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const run of this.runs.activeRuns()) this.deadlines.clearRun(run);
  }

  /** Deadline tracker callback: the attempt produced no result in time. */
  readonly onTaskExpired = (run: Run, index: number, attempt: number): void => {
    if (run.isFinished || run.taskStatus[index] !== TaskStatus.Dispatched || run.attempts[index] !== attempt) return;
    const out: OutboundMessage[] = [];
    this.settleAttempt(run, index, TaskStatus.Dispatched);
    const node = run.plan.nodes[index]!;
    this.metrics.taskFailed(node.workerType, node.tool);
    this.onFailure(run, index, attempt, {
      code: 'timeout',
      message: `no result from worker type "${node.workerType}" within the deadline`,
      retriable: true,
    }, out);
    this.flushInBackground(out);
  };

  readonly onGoalExpired = (run: Run): void => {
    if (run.isFinished) return;
    const out: OutboundMessage[] = [];
    this.finish(run, 'failed', out, failureReport(run, undefined, `goal exceeded its ${run.goal.options?.deadlineMs} ms deadline`));
    this.flushInBackground(out);
  };

  private settleAttempt(run: Run, index: number, status: number): void {
    if (status === TaskStatus.Dispatched) {
      run.inFlight--;
      run.taskStatus[index] = TaskStatus.Ready; // transient: the caller sets the real next state
      this.deadlines.clearTask(run, index);
      this.wakePool(run.plan.nodes[index]!.workerType);
    }
  }

  /**
   * Gives back the pool slots of a run's tasks still in flight when the run stops being driven
   * here (finished, replaced, released): their results will be absorbed, so nothing else would.
   */
  private freePoolSlots(run: Run): void {
    if (run.inFlight === 0) return;
    for (let index = 0; index < run.size; index++) {
      if (run.taskStatus[index] === TaskStatus.Dispatched) this.wakePool(run.plan.nodes[index]!.workerType);
    }
  }

  private wakePool(workerType: string): void {
    for (const waiting of this.pools.release(workerType)) this.pendingWakeups.add(waiting);
  }

  private readonly pendingWakeups = new Set<Run>();

  private onFailure(run: Run, index: number, attempt: number, error: TaskError, out: OutboundMessage[]): void {
    const node = run.plan.nodes[index]!;
    const history = {
      attempt,
      maxAttempts: node.maxAttempts ?? this.options.defaultMaxAttempts,
      replans: run.replans,
      maxReplans: this.options.maxReplans,
    };
    const recovery = this.recover(run, index, error, this.policy.decide(error, history), history, out);
    if (recovery.action === 'reroute') return this.reroute(run, index, attempt, error, recovery.workerType, recovery.reason, out);
    const decision = recovery.decision;
    run.recordDecision(index, { attempt, error, decision: decision.action });
    this.journal?.failed(run, index, attempt, error, decision.action, decision.action === 'retry');
    const poolLimit = error.code === 'rate_limited' ? this.concurrency.onRateLimited(node.workerType, run.dispatchedAt[index]!) : undefined;
    const failed = this.events.task(run.goal, 'task.failed', node.id, attempt, {
      error: { ...error },
      decision: decision.action,
      reason: decision.reason,
      ...(poolLimit !== undefined ? { poolLimit } : {}),
    });
    if (failed) out.push(failed);

    if (decision.action === 'retry') {
      run.taskStatus[index] = TaskStatus.RetryScheduled;
      const scheduled = this.events.task(run.goal, 'task.retry_scheduled', node.id, attempt + 1, { delayMs: decision.delayMs });
      if (scheduled) out.push(scheduled);
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        if (run.isFinished || run.taskStatus[index] !== TaskStatus.RetryScheduled) return;
        const retryOut: OutboundMessage[] = [];
        run.markReady(index);
        this.advance(run, retryOut);
        this.flushInBackground(retryOut);
      }, decision.delayMs);
      this.retryTimers.add(timer);
      this.advance(run, out);
      return;
    }
    run.taskStatus[index] = TaskStatus.Failed;
    // A replan under way already replaces every unfinished task, this one included.
    if (decision.action === 'replan' && run.hold === 'replanning') return;
    if (decision.action === 'replan' && this.replanner) {
      // Nothing new goes out while the plan changes; tasks in flight may still finish and are kept.
      run.hold = 'replanning';
      void this.replan(run, index, error, this.replanner);
      return;
    }
    const reason =
      decision.action === 'replan'
        ? `${decision.reason}, but no planner is configured (an OpenAI-compatible LLM endpoint); change the policy table or the plan`
        : decision.reason;
    this.finish(run, 'failed', out, failureReport(run, index, reason));
  }

  /**
   * The policy table's decision, or memory's when it has learned a better one for this failure
   * code and tool (a `memory.decision` event says what it weighed).
   */
  private recover(
    run: Run,
    index: number,
    error: TaskError,
    decision: FailureDecision,
    history: { attempt: number; maxAttempts: number; replans: number; maxReplans: number },
    out: OutboundMessage[],
  ): { action: 'decided'; decision: FailureDecision } | { action: 'reroute'; workerType: string; reason: string } {
    if (!this.memory || !run.trace) return { action: 'decided', decision };
    const node = run.plan.nodes[index]!;
    const canRetry = history.attempt < history.maxAttempts;
    const choice = this.memory.memory.chooseRecovery(run, index, {
      error,
      tool: node.tool,
      workerType: node.workerType,
      policy: decision.action,
      canRetry,
      canReplan: this.replanner !== undefined && history.replans < history.maxReplans,
      alternatives: canRetry ? this.memory.offering(node.tool).filter((type) => type !== node.workerType) : [],
    });
    if (choice.decision) out.push(this.events.goal(run.goal, 'memory.decision', { taskId: node.id, ...choice.decision }));
    if (choice.action === decision.action) return { action: 'decided', decision };
    const reason = `memory chose ${choice.action} over the policy's ${decision.action} for ${error.code} on ${node.tool}`;
    return choice.action === 'reroute'
      ? { action: 'reroute', workerType: choice.workerType!, reason }
      : { action: 'decided', decision: this.policyAction(choice.action, history.attempt, error, reason) };
  }

  private policyAction(action: Exclude<RecoveryAction, 'reroute'>, attempt: number, error: TaskError, reason: string): FailureDecision {
    if (action === 'retry') return { action, delayMs: this.policy.retryDelayMs(attempt, error), reason };
    return { action, reason };
  }

  /** Runs the failed task again at once on another worker type offering its tool. */
  private reroute(run: Run, index: number, attempt: number, error: TaskError, workerType: string, reason: string, out: OutboundMessage[]): void {
    const node = run.plan.nodes[index]!;
    run.recordDecision(index, { attempt, error, decision: 'reroute' });
    this.journal?.failed(run, index, attempt, error, 'retry', true);
    const poolLimit = error.code === 'rate_limited' ? this.concurrency.onRateLimited(node.workerType, run.dispatchedAt[index]!) : undefined;
    const failed = this.events.task(run.goal, 'task.failed', node.id, attempt, {
      error: { ...error },
      decision: 'reroute',
      reason,
      rerouteTo: workerType,
      ...(poolLimit !== undefined ? { poolLimit } : {}),
    });
    if (failed) out.push(failed);
    // The plan belongs to this run alone (parsed per goal): the task's node is replaced, not shared state.
    (run.plan.nodes as TaskNode[])[index] = { ...node, workerType };
    run.markReady(index);
    this.advance(run, out);
  }

  /** Asks for a replacement of the unfinished part, then splices it in; the goal fails if none comes. */
  private async replan(run: Run, failedIndex: number, error: TaskError, replanner: Replanner): Promise<void> {
    const tokensBefore = replanner.tokensUsed(run.goalId);
    // Taken before the model is asked: failures of tasks still in flight meanwhile add recoveries of their own.
    const last = run.trace?.recoveries.at(-1);
    const pending = last?.strategy === 'replan' ? last : undefined;
    const verdict = await requestReplan(run, failedIndex, error, replanner);
    if (this.memory && pending) pending.llmCost = this.memory.memory.llmCost(replanner.tokensUsed(run.goalId) - tokensBefore);
    if (run.isFinished) return; // cancelled, past its deadline or released while the model thought
    const out: OutboundMessage[] = [];
    if (!verdict.ok) {
      this.finish(run, 'failed', out, failureReport(run, failedIndex, verdict.reason));
    } else {
      const { plan, context, rounds } = verdict;
      const next = this.splice(run, plan, context, out, pending);
      out.push(
        this.events.goal(run.goal, 'goal.replanned', {
          failedTask: context.failed.node.id,
          error: { ...error },
          kept: context.finished.map(({ node }) => node.id),
          added: plan.nodes.length - context.finished.length,
          rounds,
          replan: next.replans,
        }),
      );
      this.advance(next, out);
    }
    await this.flush(out).catch(() => undefined);
  }

  /** The new run: the new plan, finished tasks restored with their outputs, the old run's work stopped. */
  private splice(old: Run, plan: ValidatedPlan, context: ReplanContext, out: OutboundMessage[], pending: PendingRecovery | undefined): Run {
    const next = old.successor(plan, context.finished);
    if (old.trace) {
      const carried = new Set(context.finished.map(({ node }) => node.id));
      old.trace.retired.push(...retiredOutcomes(old, old.trace, carried));
      if (pending) pending.standIns = plan.nodes.filter((node) => !old.plan.indexOf.has(node.id) && node.tool === context.failed.node.tool).map((node) => node.id);
    }
    old.plan.nodes.forEach((node, index) => {
      if (old.taskStatus[index] === TaskStatus.Dispatched) out.push(this.events.cancelInFlight(old.goal, 'replaced by a new plan', node.id));
    });
    this.freePoolSlots(old);
    old.status = 'replaced';
    this.journal?.drop(old);
    this.deadlines.clearRun(old);
    this.pools.forget(old);
    this.runs.add(next);
    this.journal?.snapshot(next, out);
    const deadlineMs = old.goal.options?.deadlineMs;
    if (deadlineMs !== undefined) this.deadlines.trackGoal(next, Math.max(0, old.startedAt + deadlineMs - Date.now()));
    return next;
  }

  /** Dispatches what the run can start now, then lets runs that waited on a freed pool slot try again. */
  private advance(run: Run, out: OutboundMessage[]): void {
    this.advanceOne(run, out);
    this.drainWakeups(out);
  }

  private drainWakeups(out: OutboundMessage[]): void {
    for (const waiting of this.pendingWakeups) {
      this.pendingWakeups.delete(waiting);
      this.advanceOne(waiting, out);
    }
  }

  private advanceOne(run: Run, out: OutboundMessage[]): void {
    const bindFailures: BindFailure[] = [];
    this.scheduler.fill(run, out, bindFailures);
    for (const failure of bindFailures) {
      if (run.isFinished) break;
      this.onFailure(run, failure.index, run.attempts[failure.index]! + 1, {
        code: 'invalid_input',
        message: failure.error.message,
        retriable: false,
      }, out);
    }
    if (!run.isFinished && run.allSucceeded) {
      this.succeed(run, out);
    } else if (!run.isFinished && run.budgetExhausted) {
      this.finish(run, 'failed', out, failureReport(run, undefined, `goal exceeded its budget of ${run.maxDispatches} task dispatches`));
    }
  }

  /** Every task done: the goal succeeds, after the optional summary (its failure never fails the goal). */
  private succeed(run: Run, out: OutboundMessage[]): void {
    const outputs = goalOutputs(run);
    if (!this.summarizer) return this.finish(run, 'succeeded', out, { outputs, stats: runStats(run) });
    if (run.hold === 'summarizing') return;
    run.hold = 'summarizing';
    const summarizer = this.summarizer;
    void (async () => {
      let summary: JsonObject;
      try {
        summary = { summary: await summarizer.summarize(run.goal, outputs) };
      } catch (error) {
        summary = { summaryError: (error as Error).message };
      }
      if (run.isFinished) return;
      const finished: OutboundMessage[] = [];
      this.finish(run, 'succeeded', finished, { outputs, stats: runStats(run), ...summary });
      this.flushInBackground(finished);
    })();
  }

  private finish(run: Run, status: FinishedStatus, out: OutboundMessage[], data: Parameters<GoalEvents['goal']>[2]): void {
    run.status = status;
    this.journal?.finished(run, status, out);
    if (this.memory) {
      const usage = this.replanner?.usage(run.goalId) ?? { requests: 0, totalTokens: 0 };
      this.memory.memory.finished(run, { calls: usage.requests, tokens: usage.totalTokens });
    }
    this.replanner?.forget(run.goalId);
    if (run.inFlight > 0) out.push(this.events.cancelInFlight(run.goal, `goal ${status}`));
    this.freePoolSlots(run);
    this.deadlines.clearRun(run);
    this.pools.forget(run);
    this.runs.rememberFinished(run.goalId, status);
    out.push(this.events.goal(run.goal, status === 'succeeded' ? 'goal.succeeded' : status === 'failed' ? 'goal.failed' : 'goal.cancelled', data));
  }

  /** For timer callbacks: nobody awaits them, and a failure is already logged by flush. */
  private flushInBackground(out: OutboundMessage[]): void {
    this.flush(out).catch(() => undefined);
  }

  /** Publishes a step's messages; resolves once they and the step's journal records are accepted. */
  private async flush(out: OutboundMessage[]): Promise<void> {
    this.drainWakeups(out);
    const journaled = this.journal?.hasPending ? this.commitJournal() : undefined;
    if (out.length > 0) {
      try {
        await this.bus.publish(out);
      } catch (error) {
        // Dispatched tasks whose message was lost time out and are retried by the deadline tracker.
        this.logger.error(`publishing ${out.length} message(s) failed: ${(error as Error).message}`);
        throw error;
      }
    }
    await journaled;
  }

  private journalCommit: Promise<void> | undefined;

  /**
   * Group commit: the progress of every step taken in this turn of the event loop goes out
   * together, one record per run instead of one per result; each step's handler waits for it,
   * so no result is committed before what it settled is in the journal.
   */
  private commitJournal(): Promise<void> {
    this.journalCommit ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.journalCommit = undefined;
      const records: OutboundMessage[] = [];
      this.journal!.drain(records);
      if (records.length === 0) return;
      try {
        await this.bus.publish(records);
      } catch (error) {
        this.logger.error(`journaling ${records.length} run record(s) failed: ${(error as Error).message}`);
        throw error;
      }
    });
    return this.journalCommit;
  }
}
