import { runMemoryLearning } from './learning.bench';
import { blocksOf, TARGETS, verdicts } from './learning-summary';

/**
 * The learning targets, held on every run of the suite: the benchmark's own code, its
 * default goals and seed. Outcomes of decisions, not timings, so a loaded machine cannot fail it.
 */
describe('npm run bench:memory: memory learns what the oracle knows', () => {
  it('after the first 50 goals succeeds in 99% or more at no more than 1.1x the oracle\'s cost, and saves 90% of planner calls on repeats', async () => {
    const settings = { goals: 200, blockSize: 50, seed: 20_261_126, llmCostPer1kTokens: 2 };
    const runs = await runMemoryLearning(settings);
    const judged = verdicts(runs, settings.blockSize);
    for (const block of judged.laterBlocks) {
      expect(block.successRate).toBeGreaterThanOrEqual(TARGETS.successRate);
      expect(block.costOverOracle).toBeLessThanOrEqual(TARGETS.costOverOracle);
    }
    expect(judged.repeats.savings).toBeGreaterThanOrEqual(TARGETS.plannerCallSavings);
    // Memory learned: its later blocks cost less than its first and than running without it.
    const memory = blocksOf(runs.find((run) => run.mode === 'memory')!, settings.blockSize);
    const none = blocksOf(runs.find((run) => run.mode === 'no memory')!, settings.blockSize);
    expect(memory.at(-1)!.cost).toBeLessThan(memory[0]!.cost);
    expect(memory.at(-1)!.cost).toBeLessThan(none.at(-1)!.cost);
  }, 180_000);
});
