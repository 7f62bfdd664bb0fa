import { inspectMemory } from '@agentos/memory';
import { MemoryReport, PlanReport } from '@agentos/memory';
import { GOAL_TEXT_WIDTH, memoryReportText, NOTHING_LEARNED } from './memory-report-text';
import { seededRuns, temporarySqliteMemory } from './memory-report.fixture';

const EMPTY: MemoryReport = { store: 'sqlite', runs: 0, tools: [], recoveries: [], plans: { shapes: 0, entries: [] } };

const plan = (extra: Partial<PlanReport>): PlanReport => ({
  planShape: 'shape',
  runs: 1,
  succeeded: 1,
  failed: 0,
  replanned: 0,
  cleanRuns: 1,
  successRate: 1,
  flagged: false,
  lastGoalId: 'g-1',
  lastGoalText: 'goal',
  lastFinishedAt: 0,
  ...extra,
});

const planLine = (text: string): string => memoryReportText({ ...EMPTY, runs: 1, plans: { shapes: 1, entries: [plan({ lastGoalText: text })] } }).split('\n').at(-1)!;

describe('memoryReportText', () => {
  it('renders a seeded SQLite store as three aligned tables', async () => {
    const memory = await temporarySqliteMemory(seededRuns());
    let report: MemoryReport;
    try {
      report = await inspectMemory(memory.store, { planLimit: 3 });
    } finally {
      await memory.remove();
    }
    expect(memoryReportText(report)).toBe(
      [
        'Memory (sqlite): 8 runs stored',
        '',
        'Tools by worker type',
        '  TOOL           WORKER TYPE  TASKS  SUCCESS  ATTEMPTS/TASK  MEAN LATENCY  MEAN COST',
        '  csv.parse      logic            3    66.7%           1.67       12.0 ms      0.417',
        '  fs.read        io               3   100.0%           1.67       30.0 ms      0.500',
        '  http.fetch     io               1     0.0%           2.00             -      0.500',
        '  math.evaluate  logic            2   100.0%           1.00        3.0 ms      0.125',
        '  text.template  logic            2   100.0%           1.00        5.0 ms      0.250',
        '',
        'Recoveries by failure code, tool and strategy',
        '  FAILURE CODE   TOOL        STRATEGY  TRIES  RECOVERED  MEAN COST',
        '  invalid_input  csv.parse   replan        1       0.0%      1.000',
        '  invalid_input  csv.parse   retry         1       0.0%      0.500',
        '  rate_limited   http.fetch  retry         1       0.0%      0.250',
        '  timeout        fs.read     retry         2     100.0%      0.375',
        '',
        'Plan library: 3 of 4 plan shapes, most runs first (flagged: failed or replanned, and clean in under 80.0% of its runs)',
        '  PLAN SHAPE        RUNS  SUCCEEDED  FAILED  REPLANNED  SUCCESS  FLAG     LAST GOAL',
        '  0f1e2d3c4b5a6978     3          2       0          0   100.0%           g-sum-3     Add 1 and 1',
        '  a1b2c3d4e5f60718     3          2       1          1    66.7%  flagged  g-report-3  Summarise every regional sales ledger under data/sales into…',
        '  c0ffee0000000001     1          0       1          0     0.0%  flagged  g-fetch-1   Fetch the exchange rates',
      ].join('\n'),
    );
  });

  it('says nothing learned yet in every section of an empty report', () => {
    expect(memoryReportText(EMPTY).split('\n')).toEqual([
      'Memory (sqlite): 0 runs stored',
      '',
      'Tools by worker type',
      `  ${NOTHING_LEARNED}`,
      '',
      'Recoveries by failure code, tool and strategy',
      `  ${NOTHING_LEARNED}`,
      '',
      'Plan library: 0 of 0 plan shapes, most runs first (flagged: failed or replanned, and clean in under 80.0% of its runs)',
      `  ${NOTHING_LEARNED}`,
    ]);
  });

  it(`keeps goal texts of ${GOAL_TEXT_WIDTH} characters whole and cuts longer ones to ${GOAL_TEXT_WIDTH}, the last one …`, () => {
    const exact = 'é'.repeat(GOAL_TEXT_WIDTH);
    expect(planLine(exact).endsWith(`  ${exact}`)).toBe(true);
    // Counted in characters: an astral emoji is one, never split in half.
    const long = `${'😀'.repeat(GOAL_TEXT_WIDTH - 1)}xyz`;
    expect(planLine(long).endsWith(`  ${'😀'.repeat(GOAL_TEXT_WIDTH - 1)}…`)).toBe(true);
  });

  it('shows a plan only ever cancelled with no success rate', () => {
    const text = memoryReportText({ ...EMPTY, runs: 1, plans: { shapes: 1, entries: [plan({ succeeded: 0, cleanRuns: 0, successRate: null })] } });
    expect(text.split('\n').at(-1)!.trim().split(/ +/)).toEqual(['shape', '1', '0', '0', '0', '-', 'g-1', 'goal']);
  });
});
