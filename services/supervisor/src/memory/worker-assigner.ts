import { JsonObject, JsonValue, TaskGraph } from '@agentos/contracts';
import { ArmEvidence, chooseByThompson, ThompsonChoice } from '@agentos/memory';
import { LearnedStats } from './learned-stats';

/** Which worker types offer a tool now (the live catalog). */
export type ToolOffering = (tool: string) => readonly string[];

export interface Assignment {
  readonly graph: TaskGraph;
  /** What the `memory.decision` event says; undefined when no tool had a choice. */
  readonly decision: JsonObject | undefined;
}

/**
 * Chooses the worker type of each task whose tool more than one worker type offers, by Thompson
 * sampling over what memory learned of that tool on each type: per-attempt success rate and
 * cost (cost per success = cost / rate). An untried type is tried now and then; a type that
 * keeps failing stops being chosen once the evidence says so.
 */
export class WorkerAssigner {
  constructor(
    private readonly stats: LearnedStats,
    private readonly random: () => number,
  ) {}

  arms(tool: string, workerTypes: readonly string[]): ArmEvidence[] {
    return workerTypes.map((workerType) => {
      const evidence = this.stats.tool(tool, workerType);
      return {
        key: workerType,
        successes: evidence.successes,
        failures: Math.max(0, evidence.attempts - evidence.successes),
        ...(evidence.meanAttemptCost !== undefined && evidence.meanAttemptCost > 0 ? { meanCost: evidence.meanAttemptCost } : {}),
      };
    });
  }

  /** The best worker type for a tool among `workerTypes` by one Thompson draw. */
  choose(tool: string, workerTypes: readonly string[]): ThompsonChoice {
    return chooseByThompson(this.arms(tool, workerTypes), this.random);
  }

  assign(graph: TaskGraph, offering: ToolOffering): Assignment {
    const byTool = new Map<string, { chosen: Map<string, number>; explored: number; last: ThompsonChoice; changed: number }>();
    // Asked once per tool, not per task: a plan may hold many tasks of few tools.
    const offered = new Map<string, readonly string[]>();
    const tasks = graph.tasks.map((task) => {
      let workerTypes = offered.get(task.tool);
      if (!workerTypes) {
        workerTypes = offering(task.tool);
        offered.set(task.tool, workerTypes);
      }
      if (workerTypes.length < 2) return task;
      const choice = this.choose(task.tool, workerTypes);
      let tally = byTool.get(task.tool);
      if (!tally) {
        tally = { chosen: new Map(), explored: 0, last: choice, changed: 0 };
        byTool.set(task.tool, tally);
      }
      tally.chosen.set(choice.key, (tally.chosen.get(choice.key) ?? 0) + 1);
      if (choice.explored) tally.explored++;
      tally.last = choice;
      if (choice.key === task.workerType) return task;
      tally.changed++;
      return { ...task, workerType: choice.key };
    });
    if (byTool.size === 0) return { graph, decision: undefined };
    const tools: JsonValue[] = [...byTool].map(([tool, tally]) => ({
      tool,
      chosen: Object.fromEntries(tally.chosen),
      explored: tally.explored,
      changedFromPlan: tally.changed,
      arms: tally.last.arms.map((arm) => ({ workerType: arm.key, tries: arm.tries, meanRate: round(arm.meanRate) })),
    }));
    return { graph: { ...graph, tasks }, decision: { decision: 'assignment', tools } };
  }
}

export const round = (value: number): number => Math.round(value * 1_000) / 1_000;
