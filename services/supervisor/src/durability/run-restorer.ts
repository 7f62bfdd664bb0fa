import { TaskError } from '@agentos/contracts';
import { PlanValidator } from '../planning/plan-validator';
import { Run } from '../runs/run';
import { TaskStatus } from '../runs/task-status';
import { JournaledRun } from './run-view';

/** A task whose last attempt failed for good while the goal was still running (a replan was under way). */
export interface PendingFailure {
  readonly index: number;
  readonly attempt: number;
  readonly error: TaskError;
  readonly decision: string;
}

export type Restored = { readonly ok: true; readonly run: Run; readonly failure?: PendingFailure } | { readonly ok: false; readonly reason: string };

const structural = new PlanValidator(undefined);

/**
 * Rebuilds a run from the journal: finished tasks with their outputs, attempts and decisions.
 * Tasks that were in flight are left to dispatch again with the same attempt number, so a
 * result of the lost dispatch and of the new one are told apart from nothing else: whichever
 * comes first counts, the other is absorbed as a duplicate.
 */
export function restoreRun(journaled: JournaledRun): Restored {
  const { snapshot } = journaled;
  const graph = snapshot.plan ?? snapshot.goal.plan;
  if (!graph) return { ok: false, reason: 'the snapshot holds no plan' };
  const validation = structural.validate(graph);
  if (!validation.ok) return { ok: false, reason: `the journaled plan is invalid: ${validation.errors[0]!.message}` };
  const plan = validation.plan;
  const run = new Run(snapshot.goal, plan, snapshot.maxConcurrency, snapshot.startedAt, journaled.partition);
  run.replans = snapshot.replans;
  run.dispatches = journaled.dispatches;
  run.paused = journaled.paused;

  let failure: PendingFailure | undefined;
  for (const entry of journaled.progress) {
    const index = plan.indexOf.get(entry.taskId);
    if (index === undefined) continue;
    run.attempts[index] = Math.max(run.attempts[index]!, entry.attempt);
    if (entry.state === 'succeeded') {
      if (run.taskStatus[index] !== TaskStatus.Succeeded) run.restoreSucceeded(index, entry.output);
      continue;
    }
    const error = entry.error!;
    const decision = entry.decision!;
    run.recordDecision(index, { attempt: entry.attempt, error, decision });
    if (entry.state === 'failed' && run.taskStatus[index] !== TaskStatus.Succeeded) {
      run.taskStatus[index] = TaskStatus.Failed;
      failure = { index, attempt: entry.attempt, error, decision };
    }
  }
  return failure ? { ok: true, run, failure } : { ok: true, run };
}
