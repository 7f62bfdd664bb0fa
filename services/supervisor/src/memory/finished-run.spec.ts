import { GoalMessage, newEnvelope, TaskErrorCode, TaskGraph, TaskNode } from '@agentos/contracts';
import { goalTemplate, LocalHashEmbedder, normalizeGoalText, planShape, RecoveryStrategy, RUN_MEMORY_LIMITS, SqliteMemoryStore, TaskOutcome } from '@agentos/memory';
import { PlanValidator } from '../planning/plan-validator';
import { ValidatedPlan } from '../planning/validated-plan';
import { Run, RunStatus } from '../runs/run';
import { TaskStatus } from '../runs/task-status';
import { finishedRun, LlmSpend, reroutedOutcome, retiredOutcomes } from './finished-run';
import { GoalTrace } from './goal-trace';

const GOAL_TEXT = 'Total orders in data/orders-7.csv above 250';
const STARTED_AT = 1_700_000_000_000.6;
const FINISHED_AT = 1_700_000_005_000.2;
const NO_LLM: LlmSpend = { calls: 0, tokens: 0, cost: 0 };

function validated(graph: TaskGraph): ValidatedPlan {
  const validation = new PlanValidator(undefined).validate(graph);
  if (!validation.ok) throw new Error(validation.errors.map((error) => error.message).join('; '));
  return validation.plan;
}

/** read -> parse -> total -> report */
const chain: TaskGraph = {
  tasks: [
    { id: 'read', workerType: 'io', tool: 'fs.read', input: { path: 'data/orders-7.csv' } },
    { id: 'parse', workerType: 'logic', tool: 'csv.parse', dependsOn: ['read'] },
    { id: 'total', workerType: 'logic', tool: 'math.evaluate', dependsOn: ['parse'] },
    { id: 'report', workerType: 'logic', tool: 'text.template', dependsOn: ['total'] },
  ],
};

/**
 * One goal driven by hand the way RunDriver drives it with memory on: attempts counted at
 * dispatch, costs added per result, latency kept for successes, every failure's strategy
 * followed in the trace (as SupervisorMemory.chooseRecovery does) and in the run's history.
 */
class DrivenGoal {
  readonly trace: GoalTrace;
  run: Run;

  constructor(graph: TaskGraph, text = GOAL_TEXT) {
    const goal: GoalMessage = { ...newEnvelope('goal', { goalId: 'goal-1' }), goal: text };
    this.run = new Run(goal, validated(graph), 8, STARTED_AT);
    this.trace = new GoalTrace('llm', planShape(graph));
    this.run.trace = this.trace;
  }

  succeed(taskId: string, cost: number, latencyMs = 10): void {
    const index = this.dispatch(taskId);
    this.run.costs[index] += cost;
    this.run.latencyMs[index] = latencyMs;
    this.run.complete(index, { from: taskId });
  }

  fail(taskId: string, code: TaskErrorCode, cost: number, strategy: RecoveryStrategy): void {
    const index = this.dispatch(taskId);
    const run = this.run;
    run.costs[index] += cost;
    run.latencyMs[index] = 99; // a failed attempt's latency is not the task's
    const node = run.plan.nodes[index]!;
    if (strategy === 'reroute') run.trace!.rerouted.push(reroutedOutcome(run, index, run.trace!, code));
    run.trace!.recoveries.push({
      taskId,
      tool: node.tool,
      workerType: node.workerType,
      failureCode: code,
      strategy,
      failedAttempt: run.attempts[index]!,
      taskCostBefore: run.costs[index]!,
      llmCost: 0,
      standIns: [],
    });
    run.recordDecision(index, { attempt: run.attempts[index]!, error: { code, message: code, retriable: true }, decision: strategy });
    run.taskStatus[index] = strategy === 'retry' ? TaskStatus.RetryScheduled : TaskStatus.Failed;
    if (strategy === 'reroute') run.taskStatus[index] = TaskStatus.Ready;
  }

  /** Runs the task's next attempt elsewhere, as RunDriver.reroute does (the run's node is replaced). */
  rerouteTo(taskId: string, workerType: string): void {
    const index = this.run.plan.indexOf.get(taskId)!;
    (this.run.plan.nodes as TaskNode[])[index] = { ...this.run.plan.nodes[index]!, workerType };
  }

  /** A new plan after the last failure: finished tasks carried over, the rest retired, as RunDriver.splice does. */
  replan(graph: TaskGraph, llmCost: number): void {
    const old = this.run;
    const plan = validated(graph);
    const finished = old.plan.nodes.flatMap((node, index) => (old.taskStatus[index] === TaskStatus.Succeeded ? [{ node, output: old.outputs[index] }] : []));
    const next = old.successor(plan, finished);
    this.trace.retired.push(...retiredOutcomes(old, this.trace, new Set(finished.map(({ node }) => node.id))));
    const pending = this.trace.recoveries.at(-1)!;
    expect(pending.strategy).toBe('replan');
    const failedTool = old.plan.nodes[old.plan.indexOf.get(pending.taskId)!]!.tool;
    pending.llmCost = llmCost;
    pending.standIns = plan.nodes.filter((node) => !old.plan.indexOf.has(node.id) && node.tool === failedTool).map((node) => node.id);
    old.status = 'replaced';
    this.run = next;
  }

  finish(status: RunStatus, llm: LlmSpend = NO_LLM) {
    this.run.status = status;
    return finishedRun(this.run, this.trace, llm, FINISHED_AT);
  }

  private dispatch(taskId: string): number {
    const index = this.run.plan.indexOf.get(taskId);
    if (index === undefined) throw new Error(`no task ${taskId} in the current plan`);
    this.run.attempts[index]++;
    this.run.taskStatus[index] = TaskStatus.Dispatched;
    return index;
  }
}

const byId = (tasks: readonly TaskOutcome[]) => new Map(tasks.map((task) => [task.taskId, task]));

describe('finishedRun', () => {
  it('records the goal, its final plan and when it ran', () => {
    const goal = new DrivenGoal(chain);
    for (const id of ['read', 'parse', 'total', 'report']) goal.succeed(id, 0.1);
    const record = goal.finish('succeeded', { calls: 2, tokens: 1_500, cost: 1.5 });
    expect(record).toEqual(
      expect.objectContaining({
        goalId: 'goal-1',
        goalText: GOAL_TEXT,
        normalizedGoal: normalizeGoalText(GOAL_TEXT),
        goalTemplate: goalTemplate(GOAL_TEXT).key,
        plan: chain,
        planShape: planShape(chain),
        status: 'succeeded',
        llmCalls: 2,
        llmTokens: 1_500,
        recoveries: [],
      }),
    );
    // The store keeps whole milliseconds.
    expect(record.startedAt).toBe(Math.round(STARTED_AT));
    expect(record.finishedAt).toBe(Math.round(FINISHED_AT));
  });

  it('records how every task went: status, attempts, latency, cost and the error of each failed attempt in order', () => {
    const goal = new DrivenGoal(chain);
    goal.succeed('read', 0.25, 12.5);
    goal.fail('parse', 'transient', 0.1, 'retry');
    goal.fail('parse', 'timeout', 0.1, 'retry');
    goal.succeed('parse', 0.1, 30);
    goal.fail('total', 'logic_error', 0.05, 'fail_goal');
    const tasks = byId(goal.finish('failed').tasks);

    expect([...tasks.keys()]).toEqual(['read', 'parse', 'total', 'report']);
    expect(tasks.get('read')).toEqual({ taskId: 'read', tool: 'fs.read', workerType: 'io', status: 'succeeded', attempts: 1, latencyMs: 12.5, cost: 0.25, errorCodes: [] });
    expect(tasks.get('parse')).toEqual(expect.objectContaining({ status: 'succeeded', attempts: 3, latencyMs: 30, errorCodes: ['transient', 'timeout'] }));
    expect(tasks.get('parse')!.cost).toBeCloseTo(0.3, 12);
    expect(tasks.get('total')).toEqual(expect.objectContaining({ status: 'failed', attempts: 1, latencyMs: 0, cost: 0.05, errorCodes: ['logic_error'] }));
    expect(tasks.get('report')).toEqual({ taskId: 'report', tool: 'text.template', workerType: 'logic', status: 'not_run', attempts: 0, latencyMs: 0, cost: 0, errorCodes: [] });
  });

  it('sums the cost of every attempt of every task and the LLM’s share', () => {
    const goal = new DrivenGoal(chain);
    goal.succeed('read', 0.25);
    goal.fail('parse', 'transient', 0.1, 'retry');
    goal.succeed('parse', 0.2);
    goal.fail('total', 'logic_error', 0.05, 'fail_goal');
    expect(goal.finish('failed', { calls: 1, tokens: 2_000, cost: 2 }).cost).toBeCloseTo(0.25 + 0.1 + 0.2 + 0.05 + 2, 12);
  });

  it.each<[RunStatus, string]>([
    ['succeeded', 'succeeded'],
    ['failed', 'failed'],
    ['cancelled', 'cancelled'],
  ])('records a run that ended %s as %s', (status, recorded) => {
    expect(new DrivenGoal(chain).finish(status).status).toBe(recorded);
  });

  describe('settles each recovery', () => {
    it('a retry whose next attempt succeeded recovered, at the cost of that attempt', () => {
      const goal = new DrivenGoal(chain);
      goal.fail('read', 'timeout', 0.2, 'retry');
      goal.succeed('read', 0.3);
      const [recovery] = goal.finish('failed').recoveries;
      expect(recovery).toEqual({ taskId: 'read', tool: 'fs.read', workerType: 'io', failureCode: 'timeout', strategy: 'retry', recovered: true, cost: expect.closeTo(0.3, 12) });
    });

    it('a retry whose next attempt failed again did not recover, though a later one did', () => {
      const goal = new DrivenGoal(chain);
      goal.fail('read', 'timeout', 0.2, 'retry');
      goal.fail('read', 'transient', 0.2, 'retry');
      goal.succeed('read', 0.2);
      const recoveries = goal.finish('failed').recoveries;
      expect(recoveries.map(({ failureCode, recovered }) => ({ failureCode, recovered }))).toEqual([
        { failureCode: 'timeout', recovered: false },
        { failureCode: 'transient', recovered: true },
      ]);
      for (const recovery of recoveries) expect(recovery.cost).toBeCloseTo(0.2, 12);
    });

    it('a retry the goal ended before did not recover and cost nothing', () => {
      const goal = new DrivenGoal(chain);
      goal.fail('read', 'timeout', 0.2, 'retry');
      expect(goal.finish('cancelled').recoveries).toEqual([expect.objectContaining({ strategy: 'retry', recovered: false, cost: 0 })]);
    });

    it('a reroute is judged like a retry, and the failure stays with the worker type that failed', () => {
      const goal = new DrivenGoal(chain);
      goal.succeed('read', 0.1);
      goal.fail('parse', 'transient', 0.4, 'reroute');
      goal.rerouteTo('parse', 'logic-gpu');
      goal.succeed('parse', 0.5);
      const record = goal.finish('failed');
      expect(record.recoveries).toEqual([
        { taskId: 'parse', tool: 'csv.parse', workerType: 'logic', failureCode: 'transient', strategy: 'reroute', recovered: true, cost: expect.closeTo(0.5, 12) },
      ]);
      // The failed attempt counts against the type it failed on, the successful one for the type it went to.
      expect(record.tasks.filter((task) => task.taskId === 'parse')).toEqual([
        { taskId: 'parse', tool: 'csv.parse', workerType: 'logic', status: 'failed', attempts: 1, latencyMs: 0, cost: 0.4, errorCodes: ['transient'] },
        { taskId: 'parse', tool: 'csv.parse', workerType: 'logic-gpu', status: 'succeeded', attempts: 1, latencyMs: 10, cost: expect.closeTo(0.5, 12), errorCodes: [] },
      ]);
      expect((record.plan['tasks'] as unknown as TaskNode[])[1]!.workerType).toBe('logic-gpu');
      // Each attempt's cost counts once in the goal's.
      expect(record.cost).toBeCloseTo(0.1 + 0.4 + 0.5, 12);
    });

    it('a task rerouted twice leaves each type its own failures', () => {
      const goal = new DrivenGoal(chain);
      goal.fail('read', 'transient', 0.1, 'reroute');
      goal.rerouteTo('read', 'io-b');
      goal.fail('read', 'transient', 0.2, 'reroute');
      goal.rerouteTo('read', 'io-c');
      goal.succeed('read', 0.3);
      const reads = goal.finish('failed').tasks.filter((task) => task.taskId === 'read');
      expect(reads.map(({ workerType, status, attempts, errorCodes }) => ({ workerType, status, attempts, errorCodes }))).toEqual([
        { workerType: 'io', status: 'failed', attempts: 1, errorCodes: ['transient'] },
        { workerType: 'io-b', status: 'failed', attempts: 1, errorCodes: ['transient'] },
        { workerType: 'io-c', status: 'succeeded', attempts: 1, errorCodes: [] },
      ]);
      expect(reads.map((task) => task.cost)).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.2, 12), expect.closeTo(0.3, 12)]);
    });

    it('failing the goal never recovers and costs nothing', () => {
      const goal = new DrivenGoal(chain);
      goal.fail('read', 'invalid_input', 0.2, 'fail_goal');
      expect(goal.finish('failed').recoveries).toEqual([expect.objectContaining({ strategy: 'fail_goal', recovered: false, cost: 0 })]);
    });

    describe('a replan', () => {
      /** read carried over; parse replaced by clean -> parse-2 -> total-2 (another shape). */
      const replacement: TaskGraph = {
        tasks: [
          chain.tasks[0]!,
          { id: 'clean', workerType: 'logic', tool: 'text.clean', dependsOn: ['read'] },
          { id: 'parse-2', workerType: 'logic', tool: 'csv.parse', dependsOn: ['clean'] },
          { id: 'total-2', workerType: 'logic', tool: 'math.evaluate', dependsOn: ['parse-2'] },
        ],
      };

      function replanned(): DrivenGoal {
        const goal = new DrivenGoal(chain);
        goal.succeed('read', 0.25);
        goal.fail('parse', 'logic_error', 0.1, 'replan');
        goal.replan(replacement, 0.75);
        goal.succeed('clean', 0.05);
        goal.succeed('parse-2', 0.3);
        return goal;
      }

      it('recovered when the goal succeeded, at the cost of the LLM and of the tasks standing in for the failed one', () => {
        const goal = replanned();
        goal.succeed('total-2', 0.2);
        const record = goal.finish('succeeded');
        expect(record.recoveries).toEqual([expect.objectContaining({ taskId: 'parse', strategy: 'replan', recovered: true, cost: expect.closeTo(0.75 + 0.3, 12) })]);
      });

      it('did not recover when the goal failed all the same', () => {
        const goal = replanned();
        goal.fail('total-2', 'logic_error', 0.2, 'fail_goal');
        expect(goal.finish('failed').recoveries[0]).toEqual(expect.objectContaining({ strategy: 'replan', recovered: false }));
      });

      it('keeps the replaced plan’s unfinished tasks, counts carried ones once, and counts the run against its first plan’s shape', () => {
        const goal = replanned();
        goal.succeed('total-2', 0.2);
        const record = goal.finish('succeeded', { calls: 3, tokens: 750, cost: 0.75 });
        expect(record.tasks.map((task) => [task.taskId, task.status])).toEqual([
          ['parse', 'failed'],
          ['total', 'not_run'],
          ['report', 'not_run'],
          ['read', 'succeeded'],
          ['clean', 'succeeded'],
          ['parse-2', 'succeeded'],
          ['total-2', 'succeeded'],
        ]);
        expect(record.cost).toBeCloseTo(0.25 + 0.1 + 0.05 + 0.3 + 0.2 + 0.75, 12);
        expect(record.plan).toEqual(replacement);
        expect(planShape(replacement)).not.toBe(planShape(chain));
        expect(record.planShape).toBe(planShape(chain));
      });

      it('a retry of a task the replan then replaced did not recover, at the cost of the attempts after it', () => {
        const goal = new DrivenGoal(chain);
        goal.succeed('read', 0.25);
        goal.fail('parse', 'transient', 0.1, 'retry');
        goal.fail('parse', 'logic_error', 0.15, 'replan');
        goal.replan(replacement, 0.5);
        for (const id of ['clean', 'parse-2', 'total-2']) goal.succeed(id, 0.1);
        const [retry, replan] = goal.finish('succeeded').recoveries;
        expect(retry).toEqual(expect.objectContaining({ strategy: 'retry', recovered: false, cost: expect.closeTo(0.15, 12) }));
        expect(replan).toEqual(expect.objectContaining({ strategy: 'replan', recovered: true }));
      });
    });
  });

  describe('a run bigger than the store keeps', () => {
    const independent = (count: number, prefix = 't'): TaskGraph => ({
      tasks: Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, workerType: 'logic', tool: 'noop' })),
    });

    it(`keeps an even sample of at most ${RUN_MEMORY_LIMITS.maxTasks} task outcomes, first to last`, () => {
      const size = RUN_MEMORY_LIMITS.maxTasks * 2 + 500;
      const goal = new DrivenGoal(independent(size));
      for (let i = 0; i < size; i++) goal.succeed(`t${i}`, 0.001);
      const record = goal.finish('succeeded');
      expect(record.tasks.length).toBeLessThanOrEqual(RUN_MEMORY_LIMITS.maxTasks);
      expect(record.tasks.length).toBeGreaterThan(RUN_MEMORY_LIMITS.maxTasks / 2);
      const positions = record.tasks.map((task) => Number(task.taskId.slice(1)));
      const gaps = new Set(positions.slice(1).map((position, i) => position - positions[i]!));
      expect(gaps.size).toBe(1);
      expect(positions[0]).toBe(0);
      expect(positions.at(-1)! + [...gaps][0]!).toBeGreaterThanOrEqual(size);
      // The cost is the whole run's, not the sample's.
      expect(record.cost).toBeCloseTo(size * 0.001, 6);
    });

    it('stays within the limit, and storable, when tasks of replaced plans already fill it', async () => {
      const goal = new DrivenGoal(independent(RUN_MEMORY_LIMITS.maxTasks + 50));
      goal.fail('t0', 'logic_error', 0.1, 'replan');
      goal.replan(independent(3, 'new-'), 0);
      for (const id of ['new-0', 'new-1', 'new-2']) goal.succeed(id, 0.1);
      const record = goal.finish('succeeded');
      expect(record.tasks.length).toBeLessThanOrEqual(RUN_MEMORY_LIMITS.maxTasks);

      const store = new SqliteMemoryStore({ path: ':memory:' });
      try {
        await store.migrate();
        const embedder = new LocalHashEmbedder();
        await store.recordRun({ ...record, embedding: embedder.embedText(record.goalText), embeddingModel: embedder.model });
        expect(await store.count()).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('keeps every outcome of a run within the limit', () => {
      const goal = new DrivenGoal(independent(100));
      for (let i = 0; i < 100; i++) goal.succeed(`t${i}`, 0.01);
      expect(goal.finish('succeeded').tasks).toHaveLength(100);
    });
  });
});
