import { JsonObject, TaskError } from '@agentos/contracts';
import { ArmEvidence, chooseByThompson } from '@agentos/memory';
import { LearnedStats } from './learned-stats';
import { round, WorkerAssigner } from './worker-assigner';

/** The strategies the supervisor can carry out for a failed task. */
export type RecoveryAction = 'retry' | 'reroute' | 'replan' | 'fail_goal';

export interface RecoveryQuestion {
  readonly error: TaskError;
  readonly tool: string;
  readonly workerType: string;
  /** What the policy table decided (its limits applied). */
  readonly policy: RecoveryAction;
  /** Attempts remain: retry and reroute are possible. */
  readonly canRetry: boolean;
  /** A planner is configured and replans remain. */
  readonly canReplan: boolean;
  /** Other worker types offering the tool now. */
  readonly alternatives: readonly string[];
}

export interface RecoveryChoice {
  readonly action: RecoveryAction;
  /** For `reroute`: the worker type to run the task on next. */
  readonly workerType?: string;
  /** What the `memory.decision` event says; undefined when memory left the policy's decision alone without weighing it. */
  readonly decision?: JsonObject;
}

/** Prior pseudo-successes of the policy table's own strategy: memory starts from the table. */
const POLICY_PRIOR_SUCCESSES = 3;

/**
 * Chooses how to recover from a failure by what each strategy achieved before for this failure
 * code and tool: recovery rate and cost, Thompson-sampled. It starts from the policy table: the
 * table's strategy alone decides until memory has seen it `minEvidence` times here, and keeps a
 * prior in its favour after. A table decision to fail the goal is never overridden.
 */
export class RecoveryChooser {
  constructor(
    private readonly stats: LearnedStats,
    private readonly assigner: WorkerAssigner,
    private readonly random: () => number,
    private readonly minEvidence: number,
  ) {}

  choose(question: RecoveryQuestion): RecoveryChoice {
    const { policy, error, tool } = question;
    if (policy === 'fail_goal') return { action: policy };
    const candidates = this.candidates(question);
    if (candidates.length < 2) return { action: policy };
    const policyEvidence = this.stats.recovery(error.code, tool, policy);
    if (policyEvidence.tries < this.minEvidence) return { action: policy };

    const arms: ArmEvidence[] = candidates.map((strategy) => {
      const evidence = this.stats.recovery(error.code, tool, strategy);
      return {
        key: strategy,
        successes: evidence.recovered,
        failures: evidence.tries - evidence.recovered,
        ...(evidence.meanCost !== undefined && evidence.meanCost > 0 ? { meanCost: evidence.meanCost } : {}),
        ...(strategy === policy ? { priorSuccesses: POLICY_PRIOR_SUCCESSES } : {}),
      };
    });
    const choice = chooseByThompson(arms, this.random);
    const action = choice.key as RecoveryAction;
    const workerType = action === 'reroute' ? this.assigner.choose(tool, question.alternatives).key : undefined;
    return {
      action,
      ...(workerType !== undefined ? { workerType } : {}),
      decision: {
        decision: 'recovery',
        failureCode: error.code,
        tool,
        workerType: question.workerType,
        policy,
        chosen: action,
        ...(workerType !== undefined ? { rerouteTo: workerType } : {}),
        explored: choice.explored,
        arms: choice.arms.map((arm) => ({ strategy: arm.key, tries: arm.tries, meanRate: round(arm.meanRate), expectedCost: round(arm.expectedCost) })),
      },
    };
  }

  private candidates(question: RecoveryQuestion): RecoveryAction[] {
    const candidates = new Set<RecoveryAction>([question.policy]);
    if (question.canRetry && question.error.retriable) candidates.add('retry');
    if (question.canRetry && question.alternatives.length > 0) candidates.add('reroute');
    if (question.canReplan) candidates.add('replan');
    return [...candidates];
  }
}
