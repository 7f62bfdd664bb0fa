import { Logger } from '@nestjs/common';
import { GoalMessage, JsonValue } from '@agentos/contracts';
import { MessageBus, OutboundMessage } from '@agentos/runtime';
import { GoalEvents } from '../events/goal-events';
import { PlanError } from '../planning/plan-error';
import { PlanValidator } from '../planning/plan-validator';
import { Run } from '../runs/run';
import { RunDriver } from '../runs/run-driver';
import { RunRegistry } from '../runs/run-registry';

export const NO_PLANNER_MESSAGE =
  'the goal has no plan and no planner is configured: submit it with an explicit "plan" (a task graph, see examples/goals), or configure an OpenAI-compatible LLM endpoint for planning';

/**
 * Accepts a submitted goal: ignores one already seen, validates its plan (rejecting an
 * invalid one with every reason), and starts the run.
 */
export class GoalIntake {
  private readonly logger = new Logger(GoalIntake.name);

  constructor(
    private readonly bus: MessageBus,
    private readonly runs: RunRegistry,
    private readonly validator: PlanValidator,
    private readonly driver: RunDriver,
    private readonly events: GoalEvents,
    private readonly defaultGoalConcurrency: number,
  ) {}

  async accept(goal: GoalMessage): Promise<void> {
    if (this.runs.knows(goal.goalId)) {
      this.logger.debug(`goal ${goal.goalId} delivered again; already ${this.runs.finishedStatus(goal.goalId) ?? 'running'}`);
      return;
    }
    const out: OutboundMessage[] = [
      this.events.goal(goal, 'goal.accepted', {
        submitter: goal.submitter ?? null,
        hasPlan: goal.plan !== undefined,
      }),
    ];
    if (!goal.plan) return this.reject(goal, out, [{ code: 'no_planner', message: NO_PLANNER_MESSAGE }]);

    const validation = this.validator.validate(goal.plan);
    if (!validation.ok) return this.reject(goal, out, validation.errors);

    const { plan } = validation;
    out.push(
      this.events.goal(goal, 'goal.planned', {
        source: 'explicit',
        tasks: plan.nodes.length,
        workerTypes: [...new Set(plan.nodes.map((node) => node.workerType))].sort(),
        outputs: plan.outputs.map((index) => plan.nodes[index]!.id),
      }),
    );
    const concurrency = Math.min(goal.options?.maxConcurrency ?? this.defaultGoalConcurrency, this.defaultGoalConcurrency);
    await this.driver.start(new Run(goal, plan, concurrency), out);
  }

  private async reject(goal: GoalMessage, out: OutboundMessage[], errors: readonly (PlanError | { code: string; message: string })[]): Promise<void> {
    this.runs.rememberFinished(goal.goalId, 'failed');
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
