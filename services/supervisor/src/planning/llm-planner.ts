import { dtoJsonSchema, GoalMessage, TaskGraph, TaskGraphDto } from '@agentos/contracts';
import { LlmClient } from '../llm/llm-client';
import { LlmError } from '../llm/llm-error';
import { LlmUsageLedger } from '../llm/llm-usage-ledger';
import { PlanValidator } from './plan-validator';
import { parseTaskGraph } from './parse-task-graph';
import { LlmMessage } from '../llm/llm-client';
import { PastPlan, planningPrompt, replanningPrompt, RepairContext, ToolOffer } from './planning-prompt';
import { mergeReplacement, ReplanContext } from './replan-context';
import { ValidatedPlan } from './validated-plan';

export type PlanningOutcome =
  | { readonly ok: true; readonly graph: TaskGraph; readonly plan: ValidatedPlan; readonly rounds: number }
  | { readonly ok: false; readonly reason: string; readonly problems: readonly string[]; readonly rounds: number };

export interface LlmPlannerOptions {
  /** Rounds after the first in which the model gets its answer's problems back. */
  readonly maxRepairs: number;
  readonly maxTasks: number;
  /** What the plan may use, when asked (the live catalog changes). */
  readonly offers: () => readonly ToolOffer[];
  /** Where the LLM client records tokens, for budgets. */
  readonly ledger?: LlmUsageLedger;
}

const TASK_GRAPH_SCHEMA = dtoJsonSchema(TaskGraphDto) as Readonly<Record<string, unknown>>;

/**
 * Free-text goal -> validated TaskGraph. Every answer goes through the wire contract's DTO and
 * the same PlanValidator as explicit plans; a rejected answer goes back to the model with its
 * problems, for a bounded number of rounds. The model is asked what to do, never trusted.
 */
export class LlmPlanner {
  constructor(
    private readonly llm: LlmClient,
    private readonly validator: PlanValidator,
    private readonly options: LlmPlannerOptions,
  ) {}

  tokensUsed(goalId: string): number {
    return this.options.ledger?.forGoal(goalId).totalTokens ?? 0;
  }

  /** LLM requests and tokens the goal has used so far. */
  usage(goalId: string): { readonly requests: number; readonly totalTokens: number } {
    return this.options.ledger?.forGoal(goalId) ?? { requests: 0, totalTokens: 0 };
  }

  forget(goalId: string): void {
    this.options.ledger?.forget(goalId);
  }

  /** `examples`: similar past goals' plans, from memory. */
  plan(goal: GoalMessage, examples: readonly PastPlan[] = []): Promise<PlanningOutcome> {
    return this.rounds(goal, (repair) => planningPrompt(goal, this.options.offers(), this.options.maxTasks, repair, examples), (graph) => ({ graph }));
  }

  /** A replacement for the unfinished part of a run, merged with what finished and validated whole. */
  replan(goal: GoalMessage, context: ReplanContext): Promise<PlanningOutcome> {
    return this.rounds(
      goal,
      (repair) => replanningPrompt(goal, this.options.offers(), this.options.maxTasks, context, repair),
      (replacement) => mergeReplacement(context, replacement),
    );
  }

  /** Asks, checks, and sends the problems back, for at most 1 + maxRepairs rounds. */
  private async rounds(
    goal: GoalMessage,
    prompt: (repair: RepairContext | undefined) => LlmMessage[],
    complete: (answer: TaskGraph) => { graph: TaskGraph } | { problems: string[] },
  ): Promise<PlanningOutcome> {
    let repair: RepairContext | undefined;
    const rounds = this.options.maxRepairs + 1;
    for (let round = 1; round <= rounds; round++) {
      let answer: TaskGraph;
      try {
        const completion = await this.llm.complete({ messages: prompt(repair), schema: TASK_GRAPH_SCHEMA, schemaName: 'task_graph', parse: parseTaskGraph, goalId: goal.goalId });
        answer = completion.value;
      } catch (error) {
        if (!(error instanceof LlmError) || error.code !== 'llm_bad_output') throw error;
        repair = { previous: error.details.content ?? null, problems: error.details.errors ?? [error.message] };
        continue;
      }
      const merged = complete(answer);
      if ('problems' in merged) {
        repair = { previous: answer, problems: merged.problems };
        continue;
      }
      const { graph } = merged;
      const validation = this.validator.validate(graph);
      if (validation.ok) return { ok: true, graph, plan: validation.plan, rounds: round };
      repair = { previous: answer, problems: validation.errors.map((problem) => `${problem.code}: ${problem.message}`) };
    }
    return {
      ok: false,
      reason: `the planner produced no valid plan in ${rounds} rounds`,
      problems: repair?.problems ?? [],
      rounds,
    };
  }
}
