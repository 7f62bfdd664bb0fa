/**
 * `npm run bench:memory`: the learning benchmark. The same seeded goals in the same simulated
 * world without memory, with memory, and by an oracle; prints a Markdown report (stdout) and
 * exits 1 when a target is not met. Options: BENCH_MEMORY_GOALS (200), BENCH_MEMORY_BLOCK (50),
 * BENCH_MEMORY_SEED, BENCH_MEMORY_LLM_COST_PER_1K (2).
 */
import 'reflect-metadata';
import { runMemoryLearning, LearningSettings } from './learning.bench';
import { learningTables } from './learning-table';
import { verdicts } from './learning-summary';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

async function main(): Promise<number> {
  const settings: LearningSettings = {
    goals: Math.floor(positive('BENCH_MEMORY_GOALS', 200)),
    blockSize: Math.floor(positive('BENCH_MEMORY_BLOCK', 50)),
    seed: Math.floor(positive('BENCH_MEMORY_SEED', 20_261_126)),
    llmCostPer1kTokens: positive('BENCH_MEMORY_LLM_COST_PER_1K', 2),
  };
  const runs = await runMemoryLearning(settings);
  console.log(learningTables(runs, settings));
  const judged = verdicts(runs, settings.blockSize);
  return judged.successMet && judged.costMet && judged.savingsMet ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
