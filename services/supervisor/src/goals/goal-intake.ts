import { Logger } from '@nestjs/common';
import { GoalMessage, JsonObject, JsonValue, TaskGraph } from '@agentos/contracts';
import { MessageBus, OutboundMessage } from '@agentos/runtime';
import { WorkerTypeAvailability } from '../catalog/worker-type-availability';
import { GoalEvents } from '../events/goal-events';
import { LlmError } from '../llm/llm-error';
import { GoalTrace, PlanSource } from '../memory/goal-trace';
import { PlanAdvice } from '../memory/plan-advisor';
import { SupervisorMemory } from '../memory/supervisor-memory';
import { ToolOffering } from '../memory/worker-assigner';
import { PlanningOutcome } from '../planning/llm-planner';
import { PastPlan } from '../planning/planning-prompt';
import { PlanError } from '../planning/plan-error';
import { PlanValidator } from '../planning/plan-validator';
import { ValidatedPlan } from '../planning/validated-plan';
import { Run } from '../runs/run';
import { RunDriver } from '../runs/run-driver';
import { RunRegistry } from '../runs/run-registry';

/** Plans free-text goals (the LLM planner); absent when no LLM endpoint is configured. */
export interface GoalPlanner {
  /** `examples`: similar past goals' plans, from memory. */
  plan(goal: GoalMessage, examples?: readonly PastPlan[]): Promise<PlanningOutcome>;
  /** LLM tokens this goal's planning has used so far. */
  tokensUsed(goalId: string): number;
  /** The goal has ended: its accounting can go. */
  forget(goalId: string): void;
}

type Planned =
  | {
      readonly ok: true;
      readonly plan: ValidatedPlan;
      readonly source: JsonObject;
      readonly planSource: PlanSource;
      /** What memory contributed, one `memory.decision` event each. */
      readonly decisions: JsonObject[];
      readonly embedding?: Float32Array;
    }
  | { readonly ok: false; readonly errors: ReadonlyArray<{ code: string; message: string; taskId?: string }> };

/** Memory and what it needs from the catalog; absent when memory is off. */
export interface IntakeMemory {
  readonly memory: SupervisorMemory;
  readonly offering: ToolOffering;
}

export const NO_PLANNER_MESSAGE =
  'the goal has no plan and no planner is configured: submit it with an explicit "plan" (a task graph, see examples/goals), or configure an OpenAI-compatible LLM endpoint for planning';

/** Which goal partitions this supervisor instance drives (with durable runs, several instances split them). */
export interface GoalOwnership {
  drives(partition: number): boolean;
  /** The partition of the goal's results and journal, where the goal itself must be handled (undefined: not known yet). */
  homePartition(goalId: string): number | undefined;
  /** Publishes the goal again to its home partition. */
  forward(goal: GoalMessage, home: number): Promise<void>;
}

/** How long a goal may wait for worker types that have not announced themselves yet. */
export interface CapabilityWait {
  readonly availability: WorkerTypeAvailability;
  readonly timeoutMs: number;
}

/**
 * Accepts a submitted goal: ignores one already seen, waits (bounded) for worker types its
 * plan needs that have not announced themselves yet, validates the plan (rejecting an invalid
 * one with every reason), and starts the run.
 */
export class GoalIntake {
  private readonly logger = new Logger(GoalIntake.name);
  /** Goals between arrival and their run's start (they may wait for workers): a redelivery meanwhile must not start a second run. */
  private readonly admitting = new Set<string>();

  constructor(
    private readonly bus: MessageBus,
    private readonly runs: RunRegistry,
    private readonly validator: PlanValidator,
    private readonly driver: RunDriver,
    private readonly events: GoalEvents,
    private readonly defaultGoalConcurrency: number,
    private readonly capabilityWait?: CapabilityWait,
    private readonly planner?: GoalPlanner,
    /** With durable runs: whether this instance still drives a partition, and where a goal's results land. */
    private readonly ownership?: GoalOwnership,
    private readonly memory?: IntakeMemory,
  ) {}

  /** `partition`: the goal's partition on the goals topic (0 on the in-process bus). */
  async accept(goal: GoalMessage, partition = 0): Promise<void> {
    const home = this.ownership?.homePartition(goal.goalId);
    // A producer with another partitioner (librdkafka's default, say) put the goal on a partition
    // other than its results' and its journal's: it goes there, and that partition's owner runs it.
    if (home !== undefined && home !== partition) return this.ownership!.forward(goal, home);
    if (this.runs.knows(goal.goalId) || this.admitting.has(goal.goalId)) {
      const state = this.admitting.has(goal.goalId) ? 'being admitted' : (this.runs.finishedStatus(goal.goalId) ?? 'running');
      this.logger.debug(`goal ${goal.goalId} delivered again; already ${state}`);
      return;
    }
    this.admitting.add(goal.goalId);
    try {
      await this.admit(goal, partition);
    } finally {
      this.admitting.delete(goal.goalId);
    }
  }

  private async admit(goal: GoalMessage, partition: number): Promise<void> {
    const out: OutboundMessage[] = [
      this.events.goal(goal, 'goal.accepted', {
        submitter: goal.submitter ?? null,
        hasPlan: goal.plan !== undefined,
      }),
    ];
    const planned = goal.plan ? await this.checkExplicitPlan(goal, goal.plan) : await this.planFor(goal);
    if (!planned.ok) return this.reject(goal, out, planned.errors);
    const assigned = planned.planSource === 'explicit' ? planned : this.assign(planned);
    const { plan } = assigned;
    for (const decision of assigned.decisions) out.push(this.events.goal(goal, 'memory.decision', decision));
    out.push(
      this.events.goal(goal, 'goal.planned', {
        ...assigned.source,
        tasks: plan.nodes.length,
        workerTypes: [...new Set(plan.nodes.map((node) => node.workerType))].sort(),
        outputs: plan.outputs.map((index) => plan.nodes[index]!.id),
      }),
    );
    const concurrency = Math.min(goal.options?.maxConcurrency ?? this.defaultGoalConcurrency, this.defaultGoalConcurrency);
    if (this.ownership && !this.ownership.drives(partition)) {
      // The partition moved while the goal was being planned: its new owner receives it again.
      this.logger.log(`goal ${goal.goalId} not started: partition ${partition} is driven by another instance now`);
      return;
    }
    const run = new Run(goal, plan, concurrency, Date.now(), partition);
    run.trace = this.trace(assigned);
    await this.driver.start(run, out);
  }

  private trace(planned: Extract<Planned, { ok: true }>): GoalTrace | undefined {
    return this.memory?.memory.startTrace(planned.planSource, planned.plan.graph, planned.embedding);
  }

  /**
   * Memory picks the worker type of each task whose tool several types offer. A plan that came
   * with the goal is the submitter's to decide and stays as written.
   */
  private assign(planned: Extract<Planned, { ok: true }>): Extract<Planned, { ok: true }> {
    if (!this.memory) return planned;
    const { graph, decision } = this.memory.memory.assign(planned.plan.graph, this.memory.offering);
    if (!decision) return planned;
    const validation = this.validator.validate(graph);
    // Every choice is a type offering the tool, so this holds; should the catalog change meanwhile, the plan stays as it was.
    if (!validation.ok) return planned;
    return { ...planned, plan: validation.plan, decisions: [...planned.decisions, decision] };
  }

  /**
   * Workers announce themselves on start-up, so a goal may arrive first (a fresh cluster, a
   * pool scaling from zero). Waits for the plan's missing worker types, up to the configured
   * time; the validator then rejects a plan whose types are still missing.
   */
  private async awaitWorkerTypes(goalId: string, plan: TaskGraph): Promise<void> {
    if (!this.capabilityWait) return;
    const { availability, timeoutMs } = this.capabilityWait;
    const missing = availability.unavailable(plan.tasks.map((task) => task.workerType));
    if (missing.length === 0 || timeoutMs <= 0) return;
    this.logger.log(`goal ${goalId} waits up to ${timeoutMs} ms for worker type(s) not yet announced: ${missing.join(', ')}`);
    await availability.whenOffered(missing, timeoutMs);
  }

  private async checkExplicitPlan(goal: GoalMessage, graph: TaskGraph): Promise<Planned> {
    await this.awaitWorkerTypes(goal.goalId, graph);
    const validation = this.validator.validate(graph);
    return validation.ok
      ? { ok: true, plan: validation.plan, source: { source: 'explicit' }, planSource: 'explicit', decisions: [] }
      : { ok: false, errors: validation.errors };
  }

  /**
   * A free-text goal: memory's plan for it when a past goal matches, else the planner's (with
   * memory's examples), or the goal is refused with why.
   */
  private async planFor(goal: GoalMessage): Promise<Planned> {
    const advice = await this.adviceFor(goal);
    if (advice?.kind === 'reuse') {
      const validation = this.validator.validate(advice.graph);
      if (validation.ok) {
        return {
          ok: true,
          plan: validation.plan,
          source: { source: 'memory', how: advice.how },
          planSource: advice.how === 'exact' ? 'memory_exact' : 'memory_template',
          decisions: [advice.decision],
        };
      }
      // The catalog changed since (a worker type or tool is gone): the planner plans afresh.
      this.logger.log(`goal ${goal.goalId}: the remembered plan no longer validates (${validation.errors[0]!.message}); planning afresh`);
    }
    const examples = advice?.kind === 'plan' ? advice.examples : [];
    const decisions = advice?.kind === 'plan' && advice.decision ? [advice.decision] : [];
    const embedding = advice?.kind === 'plan' ? advice.embedding : undefined;
    if (!this.planner) return { ok: false, errors: [{ code: 'no_planner', message: NO_PLANNER_MESSAGE }] };
    let outcome: PlanningOutcome;
    try {
      outcome = await this.planner.plan(goal, examples);
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      return { ok: false, errors: [{ code: error.code, message: `planning failed: ${error.message}` }] };
    }
    if (!outcome.ok) {
      return { ok: false, errors: [{ code: 'plan_invalid', message: outcome.reason }, ...outcome.problems.map((message) => ({ code: 'plan_problem', message }))] };
    }
    const tokens = this.planner.tokensUsed(goal.goalId);
    const budget = goal.options?.budget?.maxTokens;
    if (budget !== undefined && tokens > budget) {
      return { ok: false, errors: [{ code: 'budget_exceeded', message: `planning used ${tokens} LLM tokens, over the goal's budget of ${budget}` }] };
    }
    return {
      ok: true,
      plan: outcome.plan,
      source: { source: 'llm', rounds: outcome.rounds, tokens },
      planSource: 'llm',
      decisions,
      ...(embedding ? { embedding } : {}),
    };
  }

  /** Memory's advice; a memory failure (the store is down) only costs the advice. */
  private async adviceFor(goal: GoalMessage): Promise<PlanAdvice | undefined> {
    if (!this.memory) return undefined;
    try {
      return await this.memory.memory.advisePlan(goal.goal);
    } catch (error) {
      this.logger.warn(`goal ${goal.goalId}: memory gave no advice: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async reject(goal: GoalMessage, out: OutboundMessage[], errors: readonly (PlanError | { code: string; message: string })[]): Promise<void> {
    this.runs.rememberFinished(goal.goalId, 'failed');
    this.planner?.forget(goal.goalId);
    out.push(
      this.events.goal(goal, 'goal.rejected', {
        reason: errors.length === 1 ? errors[0]!.message : `the plan has ${errors.length} problems`,
        errors: errors.map((error): JsonValue => ({
          code: error.code,
          message: error.message,
          ...('taskId' in error && error.taskId !== undefined ? { taskId: error.taskId } : {}),
        })),
      }),
    );
    this.logger.warn(`goal ${goal.goalId} rejected: ${errors.map((error) => error.message).join('; ')}`);
    await this.bus.publish(out);
  }
}
