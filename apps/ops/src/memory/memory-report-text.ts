import { CLEAN_RUN_RATE_TO_TRUST } from '@agentos/memory';
import { MemoryReport, PlanReport, RecoveryReport, ToolReport } from '@agentos/memory';
import { Column, renderTable, truncate } from './text-table';

/** Goal texts longer than this are cut, so a plan's line stays readable. */
export const GOAL_TEXT_WIDTH = 60;

export const NOTHING_LEARNED = 'nothing learned yet';

const TOOL_COLUMNS: readonly Column<ToolReport>[] = [
  { header: 'TOOL', value: (row) => row.tool },
  { header: 'WORKER TYPE', value: (row) => row.workerType },
  { header: 'TASKS', align: 'right', value: (row) => String(row.tasks) },
  { header: 'SUCCESS', align: 'right', value: (row) => percent(row.successRate) },
  { header: 'ATTEMPTS/TASK', align: 'right', value: (row) => row.attemptsPerTask.toFixed(2) },
  { header: 'MEAN LATENCY', align: 'right', value: (row) => (row.succeeded === 0 ? '-' : `${row.meanLatencyMs.toFixed(1)} ms`) },
  { header: 'MEAN COST', align: 'right', value: (row) => cost(row.meanCost) },
];

const RECOVERY_COLUMNS: readonly Column<RecoveryReport>[] = [
  { header: 'FAILURE CODE', value: (row) => row.failureCode },
  { header: 'TOOL', value: (row) => row.tool },
  { header: 'STRATEGY', value: (row) => row.strategy },
  { header: 'TRIES', align: 'right', value: (row) => String(row.tries) },
  { header: 'RECOVERED', align: 'right', value: (row) => percent(row.recoveryRate) },
  { header: 'MEAN COST', align: 'right', value: (row) => cost(row.meanCost) },
];

const PLAN_COLUMNS: readonly Column<PlanReport>[] = [
  { header: 'PLAN SHAPE', value: (row) => row.planShape },
  { header: 'RUNS', align: 'right', value: (row) => String(row.runs) },
  { header: 'SUCCEEDED', align: 'right', value: (row) => String(row.succeeded) },
  { header: 'FAILED', align: 'right', value: (row) => String(row.failed) },
  { header: 'REPLANNED', align: 'right', value: (row) => String(row.replanned) },
  { header: 'SUCCESS', align: 'right', value: (row) => (row.successRate === null ? '-' : percent(row.successRate)) },
  { header: 'FLAG', value: (row) => (row.flagged ? 'flagged' : '') },
  { header: 'LAST GOAL', value: (row) => row.lastGoalId },
  { header: '', value: (row) => truncate(row.lastGoalText, GOAL_TEXT_WIDTH) },
];

/** The report as aligned text tables in three sections: tools, recoveries, the plan library. */
export function memoryReportText(report: MemoryReport): string {
  const { plans } = report;
  return [
    `Memory (${report.store}): ${report.runs} ${report.runs === 1 ? 'run' : 'runs'} stored`,
    '',
    'Tools by worker type',
    ...section(TOOL_COLUMNS, report.tools),
    '',
    'Recoveries by failure code, tool and strategy',
    ...section(RECOVERY_COLUMNS, report.recoveries),
    '',
    `Plan library: ${plans.entries.length} of ${plans.shapes} plan shapes, most runs first ` +
      `(flagged: failed or replanned, and clean in under ${percent(CLEAN_RUN_RATE_TO_TRUST)} of its runs)`,
    ...section(PLAN_COLUMNS, plans.entries),
  ].join('\n');
}

function section<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string[] {
  const lines = rows.length === 0 ? [NOTHING_LEARNED] : renderTable(columns, rows);
  return lines.map((line) => `  ${line}`);
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function cost(value: number): string {
  return value.toFixed(3);
}
