import { JsonObject } from '@agentos/contracts';
import { goalTemplate, normalizeGoalText, RecoveryOutcome, RUN_MEMORY_LIMITS, RunMemory, TaskOutcome } from '@agentos/memory';
import { Run } from '../runs/run';
import { TaskStatus } from '../runs/task-status';
import { GoalTrace, PendingRecovery } from './goal-trace';

/** What memory records of a goal, but for its embedding (made asynchronously by the recorder). */
export type FinishedRun = Omit<RunMemory, 'embedding' | 'embeddingModel'>;

export interface LlmSpend {
  readonly calls: number;
  readonly tokens: number;
  /** Cost units the tokens count for. */
  readonly cost: number;
}

const NOTHING_COUNTED = { attempts: 0, cost: 0, errorCodes: 0 } as const;

function errorCodesOf(run: Run, index: number): string[] {
  return (run.history.get(index) ?? []).map((decision) => decision.error.code);
}

/** A task's outcome on its current worker type: what a reroute already counted for the type it left is taken out. */
function outcomeOf(run: Run, index: number, trace: GoalTrace): TaskOutcome {
  const node = run.plan.nodes[index]!;
  const status = run.taskStatus[index];
  const counted = trace.counted.get(node.id) ?? NOTHING_COUNTED;
  const attempts = run.attempts[index]! - counted.attempts;
  return {
    taskId: node.id,
    tool: node.tool,
    workerType: node.workerType,
    status: status === TaskStatus.Succeeded ? 'succeeded' : attempts > 0 ? 'failed' : 'not_run',
    attempts,
    latencyMs: status === TaskStatus.Succeeded ? run.latencyMs[index]! : 0,
    cost: run.costs[index]! - counted.cost,
    errorCodes: errorCodesOf(run, index).slice(counted.errorCodes),
  };
}

/**
 * A task leaving its worker type after failures: an outcome for the type it leaves (so the type's
 * failures count against it, not against the one it goes to), and what it counted, noted in the trace.
 */
export function reroutedOutcome(run: Run, index: number, trace: GoalTrace, failureCode: string): TaskOutcome {
  const node = run.plan.nodes[index]!;
  const counted = trace.counted.get(node.id) ?? NOTHING_COUNTED;
  // The driver records this failure's decision after choosing it: its code is added here.
  const errorCodes = [...errorCodesOf(run, index), failureCode];
  trace.counted.set(node.id, { attempts: run.attempts[index]!, cost: run.costs[index]!, errorCodes: errorCodes.length });
  return {
    taskId: node.id,
    tool: node.tool,
    workerType: node.workerType,
    status: 'failed',
    attempts: run.attempts[index]! - counted.attempts,
    latencyMs: 0,
    cost: run.costs[index]! - counted.cost,
    errorCodes: errorCodes.slice(counted.errorCodes),
  };
}

/** The final plan's task outcomes; a run bigger than the store keeps takes an even sample of them. */
function taskOutcomes(run: Run, trace: GoalTrace, room: number): TaskOutcome[] {
  const stride = Math.max(1, Math.ceil(run.size / room));
  const outcomes: TaskOutcome[] = [];
  for (let index = 0; index < run.size && outcomes.length < room; index += stride) outcomes.push(outcomeOf(run, index, trace));
  return outcomes;
}

/** Where a task ended: in the final plan, or retired with a replaced one. */
interface TaskEnd {
  readonly succeeded: boolean;
  readonly attempts: number;
  readonly cost: number;
}

function taskEnds(run: Run, trace: GoalTrace): (taskId: string) => TaskEnd | undefined {
  const retired = new Map(trace.retired.map((task) => [task.taskId, task]));
  return (taskId) => {
    const index = run.plan.indexOf.get(taskId);
    if (index !== undefined) return { succeeded: run.taskStatus[index] === TaskStatus.Succeeded, attempts: run.attempts[index]!, cost: run.costs[index]! };
    const task = retired.get(taskId);
    if (!task) return undefined;
    const counted = trace.counted.get(taskId) ?? NOTHING_COUNTED;
    // Retired outcomes have the counted part taken out: added back, they compare with the totals noted at decisions.
    return { succeeded: false, attempts: task.attempts + counted.attempts, cost: task.cost + counted.cost };
  };
}

function settle(run: Run, pending: PendingRecovery, endOf: (taskId: string) => TaskEnd | undefined): RecoveryOutcome {
  const base = { taskId: pending.taskId, tool: pending.tool, workerType: pending.workerType, failureCode: pending.failureCode, strategy: pending.strategy };
  if (pending.strategy === 'replan') {
    const standInCost = pending.standIns.reduce((sum, taskId) => sum + (endOf(taskId)?.cost ?? 0), 0);
    return { ...base, recovered: run.status === 'succeeded', cost: pending.llmCost + standInCost };
  }
  if (pending.strategy === 'fail_goal') return { ...base, recovered: false, cost: 0 };
  const end = endOf(pending.taskId);
  if (!end) return { ...base, recovered: false, cost: 0 };
  // Retry and reroute are judged by the one attempt they bought: did it succeed, and what did it cost.
  // A task replanned away later did not recover by it.
  const later = end.attempts - pending.failedAttempt;
  const recovered = end.succeeded && later === 1;
  const cost = later > 0 ? Math.max(0, end.cost - pending.taskCostBefore) / later : 0;
  return { ...base, recovered, cost };
}

/**
 * Everything memory keeps of a finished goal (issue 5, "what it records"): the goal, the final
 * plan with its assignment, the outcome of every task (those of replaced plans included), every
 * recovery settled, the LLM's share of the cost.
 */
export function finishedRun(run: Run, trace: GoalTrace, llm: LlmSpend, finishedAt: number = Date.now()): FinishedRun {
  const status = run.status === 'succeeded' || run.status === 'cancelled' ? run.status : 'failed';
  const earlier = [...trace.rerouted, ...trace.retired].slice(0, RUN_MEMORY_LIMITS.maxTasks);
  const tasks = [...earlier, ...taskOutcomes(run, trace, RUN_MEMORY_LIMITS.maxTasks - earlier.length)];
  const endOf = taskEnds(run, trace);
  const recoveries = trace.recoveries.slice(0, RUN_MEMORY_LIMITS.maxRecoveries).map((pending) => settle(run, pending, endOf));
  // Rerouted parts are inside their task's totals: the cost counts each attempt once.
  let taskCost = 0;
  for (const task of trace.retired) taskCost += task.cost + (trace.counted.get(task.taskId)?.cost ?? 0);
  for (let index = 0; index < run.size; index++) taskCost += run.costs[index]!;
  return {
    goalId: run.goalId,
    goalText: run.goal.goal,
    normalizedGoal: normalizeGoalText(run.goal.goal),
    goalTemplate: goalTemplate(run.goal.goal).key,
    plan: run.plan.graph as unknown as JsonObject,
    planShape: trace.initialShape,
    status,
    startedAt: Math.round(run.startedAt),
    finishedAt: Math.round(finishedAt),
    llmCalls: llm.calls,
    llmTokens: llm.tokens,
    cost: taskCost + llm.cost,
    tasks,
    recoveries,
  };
}

/** A replaced run's tasks that the next plan does not carry over, as outcomes. */
export function retiredOutcomes(run: Run, trace: GoalTrace, carried: ReadonlySet<string>): TaskOutcome[] {
  const outcomes: TaskOutcome[] = [];
  for (let index = 0; index < run.size; index++) {
    if (!carried.has(run.plan.nodes[index]!.id)) outcomes.push(outcomeOf(run, index, trace));
  }
  return outcomes;
}
