import { GoalOutcome, LearningMode, ModeRun } from './learning.bench';

/** Figures of one block of goals in one mode. */
export interface BlockFigures {
  readonly goals: number;
  readonly succeeded: number;
  readonly tasks: number;
  readonly llmCalls: number;
  readonly cost: number;
}

export const TARGETS = {
  /** After the first block, memory's success rate in every block. */
  successRate: 0.99,
  /** After the first block, memory's cost over the oracle's in every block. */
  costOverOracle: 1.1,
  /** Planner calls memory saves on repeated goals, against no memory. */
  plannerCallSavings: 0.9,
} as const;

export function blockFigures(goals: readonly GoalOutcome[]): BlockFigures {
  return {
    goals: goals.length,
    succeeded: goals.filter((goal) => goal.succeeded).length,
    tasks: goals.reduce((sum, goal) => sum + goal.tasks, 0),
    llmCalls: goals.reduce((sum, goal) => sum + goal.llmCalls, 0),
    cost: goals.reduce((sum, goal) => sum + goal.cost, 0),
  };
}

export function blocksOf(run: ModeRun, blockSize: number): BlockFigures[] {
  const blocks: BlockFigures[] = [];
  for (let start = 0; start < run.goals.length; start += blockSize) blocks.push(blockFigures(run.goals.slice(start, start + blockSize)));
  return blocks;
}

export interface LearningVerdicts {
  /** Per block after the first: memory's success rate and cost over the oracle's. */
  readonly laterBlocks: ReadonlyArray<{ readonly block: number; readonly successRate: number; readonly costOverOracle: number }>;
  /** Planner calls on goals repeating an earlier goal's template, per mode. */
  readonly repeats: { readonly goals: number; readonly noMemoryCalls: number; readonly memoryCalls: number; readonly savings: number };
  readonly successMet: boolean;
  readonly costMet: boolean;
  readonly savingsMet: boolean;
}

export function verdicts(runs: readonly ModeRun[], blockSize: number): LearningVerdicts {
  const byMode = (mode: LearningMode): ModeRun => runs.find((run) => run.mode === mode)!;
  const memory = blocksOf(byMode('memory'), blockSize);
  const oracle = blocksOf(byMode('oracle'), blockSize);
  const laterBlocks = memory.slice(1).map((block, index) => ({
    block: index + 2,
    successRate: block.succeeded / block.goals,
    costOverOracle: block.cost / oracle[index + 1]!.cost,
  }));
  const repeatCalls = (mode: LearningMode): number =>
    byMode(mode)
      .goals.filter((goal) => goal.repeat)
      .reduce((sum, goal) => sum + goal.llmCalls, 0);
  const noMemoryCalls = repeatCalls('no memory');
  const memoryCalls = repeatCalls('memory');
  const savings = noMemoryCalls === 0 ? 0 : 1 - memoryCalls / noMemoryCalls;
  return {
    laterBlocks,
    repeats: { goals: byMode('memory').goals.filter((goal) => goal.repeat).length, noMemoryCalls, memoryCalls, savings },
    successMet: laterBlocks.length > 0 && laterBlocks.every((block) => block.successRate >= TARGETS.successRate),
    costMet: laterBlocks.length > 0 && laterBlocks.every((block) => block.costOverOracle <= TARGETS.costOverOracle),
    savingsMet: savings >= TARGETS.plannerCallSavings,
  };
}
