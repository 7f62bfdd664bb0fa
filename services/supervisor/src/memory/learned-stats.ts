import { isFailingShape, PlanShapeStats, RecoveryStats, RecoveryStrategy, RunMemory, ShapeRecord, ToolStats } from '@agentos/memory';

/** A tool on one worker type, counted by attempt: every attempt either succeeded or failed. */
export interface ToolEvidence {
  readonly attempts: number;
  readonly successes: number;
  /** Mean cost of one attempt (undefined before the first). */
  readonly meanAttemptCost: number | undefined;
}

/** A recovery strategy for a failure code on a tool. */
export interface RecoveryEvidence {
  readonly tries: number;
  readonly recovered: number;
  readonly meanCost: number | undefined;
}

export type ShapeEvidence = ShapeRecord;

interface ToolTally {
  attempts: number;
  successes: number;
  cost: number;
}

interface RecoveryTally {
  tries: number;
  recovered: number;
  cost: number;
}

const key = (...parts: string[]): string => parts.join('\u0000');

function copyInto<V>(target: Map<string, V>, source: ReadonlyMap<string, V>): void {
  target.clear();
  for (const [id, value] of source) target.set(id, value);
}

/**
 * What memory has learned, in this process, as running sums: loaded from the store's
 * aggregates at start and brought up to date with each run the moment it finishes (before the
 * store has it), so the next decision already counts it. Reads are O(1).
 */
export class LearnedStats {
  private readonly tools = new Map<string, ToolTally>();
  private readonly recoveries = new Map<string, RecoveryTally>();
  private readonly shapes = new Map<string, ShapeEvidence>();

  static fromStore(tools: readonly ToolStats[], recoveries: readonly RecoveryStats[], shapes: readonly PlanShapeStats[]): LearnedStats {
    const stats = new LearnedStats();
    for (const tool of tools) {
      // meanCost is per task; an attempt costs the task's cost spread over its attempts.
      stats.tools.set(key(tool.tool, tool.workerType), { attempts: tool.attempts, successes: tool.succeeded, cost: tool.meanCost * tool.tasks });
    }
    for (const recovery of recoveries) {
      stats.recoveries.set(key(recovery.failureCode, recovery.tool, recovery.strategy), {
        tries: recovery.tries,
        recovered: recovery.recovered,
        cost: recovery.meanCost * recovery.tries,
      });
    }
    for (const shape of shapes) {
      stats.shapes.set(shape.planShape, { runs: shape.runs, succeeded: shape.succeeded, failed: shape.failed, replanned: shape.replanned });
    }
    return stats;
  }

  /** Takes over another instance's counts (a refresh from the store): readers keep their reference. */
  replaceWith(other: LearnedStats): void {
    copyInto(this.tools, other.tools);
    copyInto(this.recoveries, other.recoveries);
    copyInto(this.shapes, other.shapes);
  }

  add(run: Pick<RunMemory, 'tasks' | 'recoveries' | 'planShape' | 'status'>): void {
    for (const task of run.tasks) {
      // As the store's aggregate counts: every settled task, whatever its attempts.
      if (task.status === 'not_run') continue;
      const tally = this.toolTally(task.tool, task.workerType);
      tally.attempts += task.attempts;
      if (task.status === 'succeeded') tally.successes++;
      tally.cost += task.cost;
    }
    for (const recovery of run.recoveries) {
      const id = key(recovery.failureCode, recovery.tool, recovery.strategy);
      const tally = this.recoveries.get(id) ?? { tries: 0, recovered: 0, cost: 0 };
      tally.tries++;
      if (recovery.recovered) tally.recovered++;
      tally.cost += recovery.cost;
      this.recoveries.set(id, tally);
    }
    const shape = this.shapes.get(run.planShape) ?? { runs: 0, succeeded: 0, failed: 0, replanned: 0 };
    this.shapes.set(run.planShape, {
      runs: shape.runs + 1,
      succeeded: shape.succeeded + (run.status === 'succeeded' ? 1 : 0),
      failed: shape.failed + (run.status === 'failed' ? 1 : 0),
      replanned: shape.replanned + (run.recoveries.some((recovery) => recovery.strategy === 'replan') ? 1 : 0),
    });
  }

  tool(tool: string, workerType: string): ToolEvidence {
    const tally = this.tools.get(key(tool, workerType));
    if (!tally || tally.attempts === 0) return { attempts: 0, successes: 0, meanAttemptCost: undefined };
    return { attempts: tally.attempts, successes: tally.successes, meanAttemptCost: tally.cost / tally.attempts };
  }

  recovery(failureCode: string, tool: string, strategy: RecoveryStrategy): RecoveryEvidence {
    const tally = this.recoveries.get(key(failureCode, tool, strategy));
    if (!tally || tally.tries === 0) return { tries: 0, recovered: 0, meanCost: undefined };
    return { tries: tally.tries, recovered: tally.recovered, meanCost: tally.cost / tally.tries };
  }

  shape(planShape: string): ShapeEvidence | undefined {
    return this.shapes.get(planShape);
  }

  /** Plan shapes that failed or needed a new plan, and went through cleanly in under 80% of their runs. */
  failingShapes(): Array<{ planShape: string } & ShapeEvidence> {
    return [...this.shapes].filter(([, shape]) => isFailingShape(shape)).map(([planShape, shape]) => ({ planShape, ...shape }));
  }

  private toolTally(tool: string, workerType: string): ToolTally {
    const id = key(tool, workerType);
    let tally = this.tools.get(id);
    if (!tally) {
      tally = { attempts: 0, successes: 0, cost: 0 };
      this.tools.set(id, tally);
    }
    return tally;
  }
}
