import { MemoryStore, PlanShapeStats, RecoveryStats, ToolStats } from '../memory-records';
import { cleanRuns, isFailingShape } from '../plans/shape-health';
import { MemoryReport, PlanReport, RecoveryReport, ToolReport } from './memory-report';

export interface InspectMemoryOptions {
  /** Most plan shapes to list (the most used first); all when absent. */
  readonly planLimit?: number;
}

/** Reads what memory has learned (the store computes the aggregates) into a report. */
export async function inspectMemory(store: MemoryStore, options: InspectMemoryOptions = {}): Promise<MemoryReport> {
  const [runs, tools, recoveries, shapes] = await Promise.all([store.count(), store.toolStats(), store.recoveryStats(), store.planShapes()]);
  const listed = options.planLimit === undefined ? shapes : shapes.slice(0, options.planLimit);
  return {
    store: store.kind,
    runs,
    tools: tools.map(toolReport),
    recoveries: recoveries.map(recoveryReport),
    plans: { shapes: shapes.length, entries: listed.map(planReport) },
  };
}

function toolReport(stats: ToolStats): ToolReport {
  return {
    tool: stats.tool,
    workerType: stats.workerType,
    tasks: stats.tasks,
    succeeded: stats.succeeded,
    failed: stats.failed,
    successRate: ratio(stats.succeeded, stats.tasks) ?? 0,
    attemptsPerTask: ratio(stats.attempts, stats.tasks) ?? 0,
    meanLatencyMs: stats.meanLatencyMs,
    meanCost: stats.meanCost,
  };
}

function recoveryReport(stats: RecoveryStats): RecoveryReport {
  return {
    failureCode: stats.failureCode,
    tool: stats.tool,
    strategy: stats.strategy,
    tries: stats.tries,
    recovered: stats.recovered,
    recoveryRate: ratio(stats.recovered, stats.tries) ?? 0,
    meanCost: stats.meanCost,
  };
}

function planReport(stats: PlanShapeStats): PlanReport {
  // Cancelled runs say nothing about whether the plan works.
  const successRate = ratio(stats.succeeded, stats.succeeded + stats.failed);
  return {
    planShape: stats.planShape,
    runs: stats.runs,
    succeeded: stats.succeeded,
    failed: stats.failed,
    replanned: stats.replanned,
    cleanRuns: cleanRuns(stats),
    successRate,
    // The rule the supervisor flags shapes to its planner by.
    flagged: isFailingShape(stats),
    lastGoalId: stats.lastGoalId,
    lastGoalText: stats.lastGoalText,
    lastFinishedAt: stats.lastFinishedAt,
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
