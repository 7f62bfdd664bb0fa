import { TaskError } from '@agentos/contracts';
import { PlanningOutcome } from '../planning/llm-planner';
import { ReplanContext } from '../planning/replan-context';
import { ValidatedPlan } from '../planning/validated-plan';
import { Run } from './run';
import { TaskStatus } from './task-status';

/** Plans the unfinished part of a run again (the LLM planner). */
export interface Replanner {
  replan(goal: Run['goal'], context: ReplanContext): Promise<PlanningOutcome>;
  /** LLM tokens the goal has used so far, planning included. */
  tokensUsed(goalId: string): number;
  /** LLM requests and tokens the goal has used so far. */
  usage(goalId: string): { readonly requests: number; readonly totalTokens: number };
  /** The goal has ended: its accounting can go. */
  forget(goalId: string): void;
}

export type ReplanVerdict =
  | { readonly ok: true; readonly plan: ValidatedPlan; readonly context: ReplanContext; readonly rounds: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Asks the planner for a replacement of a run's unfinished part after `failedIndex` failed,
 * keeping the finished tasks' outputs; says why not when no usable plan comes back within the
 * goal's token budget.
 */
export async function requestReplan(run: Run, failedIndex: number, error: TaskError, replanner: Replanner): Promise<ReplanVerdict> {
  const context: ReplanContext = {
    plan: run.plan,
    finished: run.plan.nodes.flatMap((node, index) => (run.taskStatus[index] === TaskStatus.Succeeded ? [{ node, output: run.outputs[index] }] : [])),
    failed: { node: run.plan.nodes[failedIndex]!, error },
  };
  let outcome: PlanningOutcome;
  try {
    outcome = await replanner.replan(run.goal, context);
  } catch (failure) {
    outcome = { ok: false, reason: `replanning failed: ${(failure as Error).message}`, problems: [], rounds: 0 };
  }
  if (!outcome.ok) {
    const problems = outcome.problems.length > 0 ? `: ${outcome.problems.slice(0, 5).join('; ')}` : '';
    return { ok: false, reason: `${outcome.reason}${problems}` };
  }
  const tokens = replanner.tokensUsed(run.goalId);
  const budget = run.goal.options?.budget?.maxTokens;
  if (budget !== undefined && tokens > budget) {
    return { ok: false, reason: `replanning used ${tokens} LLM tokens in all, over the goal's budget of ${budget}` };
  }
  return { ok: true, plan: outcome.plan, context, rounds: outcome.rounds };
}
