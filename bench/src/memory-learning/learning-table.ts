import { fmt, markdownTable } from '../report/markdown-table';
import { LEARNING_MODES, LearningSettings, ModeRun } from './learning.bench';
import { blocksOf, TARGETS, verdicts } from './learning-summary';

const pct = (fraction: number): string => `${fmt(100 * fraction, 1)}%`;
const verdict = (met: boolean): string => (met ? 'met' : 'NOT MET');

/** The learning benchmark's report: a table per block, then the targets with their verdicts. */
export function learningTables(runs: readonly ModeRun[], settings: LearningSettings): string {
  const blockCount = Math.ceil(settings.goals / settings.blockSize);
  const rows = [];
  for (let block = 0; block < blockCount; block++) {
    for (const mode of LEARNING_MODES) {
      const run = runs.find((candidate) => candidate.mode === mode)!;
      const figures = blocksOf(run, settings.blockSize)[block]!;
      const oracle = blocksOf(runs.find((candidate) => candidate.mode === 'oracle')!, settings.blockSize)[block]!;
      rows.push([
        `${block * settings.blockSize + 1}-${block * settings.blockSize + figures.goals}`,
        mode,
        `${pct(figures.succeeded / figures.goals)} (${figures.succeeded}/${figures.goals})`,
        fmt(figures.tasks),
        fmt(figures.llmCalls),
        fmt(figures.cost, 1),
        `${fmt(figures.cost / oracle.cost, 2)}x`,
      ]);
    }
  }
  const judged = verdicts(runs, settings.blockSize);
  const later = judged.laterBlocks;
  const worstSuccess = Math.min(...later.map((block) => block.successRate));
  const worstCost = Math.max(...later.map((block) => block.costOverOracle));
  return [
    '## Memory: learning from outcomes',
    '',
    `${fmt(settings.goals)} goals drawn from 4 goal families (seed ${settings.seed}), run one after the other by the real supervisor on the in-process bus with simulated workers and a simulated planning model (\`npm run bench:memory\`). ` +
      `\`extract\` fails 35% of attempts on \`bulk\` and 2% on \`precise\` (which costs 1.2x); \`fetch\` times out on 15% of first attempts (a retry fixes it); the strict parser rejects legacy data (only a new plan fixes it). ` +
      `Cost: tool costs plus LLM tokens at ${settings.llmCostPer1kTokens} per 1,000. Wall time: ${LEARNING_MODES.map((mode) => `${mode} ${fmt(runs.find((run) => run.mode === mode)!.wallMs / 1_000, 1)} s`).join(', ')}.`,
    '',
    markdownTable(['goals', 'mode', 'success', 'tasks executed', 'LLM calls', 'cost', 'cost / oracle'], rows),
    '',
    markdownTable(
      ['target', 'measured', 'verdict'],
      [
        [`memory success after the first ${settings.blockSize} goals >= ${pct(TARGETS.successRate)} in every block`, `lowest block ${pct(worstSuccess)}`, verdict(judged.successMet)],
        [`memory cost after the first ${settings.blockSize} goals <= ${TARGETS.costOverOracle}x the oracle's in every block`, `highest block ${fmt(worstCost, 3)}x`, verdict(judged.costMet)],
        [
          `planner LLM calls saved on repeated goals >= ${pct(TARGETS.plannerCallSavings)}`,
          `${pct(judged.repeats.savings)} (${judged.repeats.memoryCalls} calls with memory, ${judged.repeats.noMemoryCalls} without, over ${judged.repeats.goals} goals repeating an earlier goal's template)`,
          verdict(judged.savingsMet),
        ],
      ],
    ),
  ].join('\n');
}
