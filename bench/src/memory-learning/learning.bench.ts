import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goalTemplate } from '@agentos/memory';
import { seededRandom } from '@agentos/runtime';
import { supervisorService } from '@agentos/supervisor';
import { drawGoals, learningWorld, oraclePlan, SimPlannerServer, SimRuntime } from '@agentos/test-kit';

export type LearningMode = 'no memory' | 'memory' | 'oracle';
export const LEARNING_MODES: readonly LearningMode[] = ['no memory', 'memory', 'oracle'];

export interface LearningSettings {
  readonly goals: number;
  readonly blockSize: number;
  readonly seed: number;
  /** Cost units per 1,000 LLM tokens (the supervisor's SUPERVISOR_MEMORY_LLM_COST_PER_1K_TOKENS too). */
  readonly llmCostPer1kTokens: number;
}

/** One goal as the benchmark saw it from outside the supervisor. */
export interface GoalOutcome {
  readonly text: string;
  readonly succeeded: boolean;
  /** Task attempts the world ran. */
  readonly tasks: number;
  readonly llmCalls: number;
  readonly llmTokens: number;
  /** Tool costs plus LLM tokens at the configured price. */
  readonly cost: number;
  /** An earlier goal of the run had the same template (a repeat for plan reuse). */
  readonly repeat: boolean;
}

export interface ModeRun {
  readonly mode: LearningMode;
  readonly goals: readonly GoalOutcome[];
  readonly wallMs: number;
}

/** Deadline of every task: far above what a simulated attempt takes, so load never turns into timeouts. */
const TASK_TIMEOUT_MS = 10_000;

function supervisorEnv(mode: LearningMode, planner: SimPlannerServer, dataDir: string, settings: LearningSettings): NodeJS.ProcessEnv {
  return {
    AGENTOS_TRANSPORT: 'in-process',
    LLM_BASE_URL: planner.baseUrl,
    LLM_MODEL: 'sim-planner',
    LLM_API_KEY: 'sim-key',
    LLM_MAX_RETRIES: '0',
    SUPERVISOR_TASK_TIMEOUT_MS: String(TASK_TIMEOUT_MS),
    SUPERVISOR_DEADLINE_GRACE_MS: '200',
    SUPERVISOR_RETRY_BASE_MS: '2',
    SUPERVISOR_RETRY_MAX_MS: '10',
    SUPERVISOR_MAX_ATTEMPTS: '3',
    SUPERVISOR_MAX_REPLANS: '2',
    SUPERVISOR_CAPABILITY_WAIT_MS: '5000',
    SUPERVISOR_MEMORY: mode === 'memory' ? 'on' : 'off',
    SUPERVISOR_MEMORY_SEED: String(settings.seed),
    SUPERVISOR_MEMORY_LLM_COST_PER_1K_TOKENS: String(settings.llmCostPer1kTokens),
    MEMORY_DATA_DIR: dataDir,
  };
}

/**
 * One mode over the same goal sequence in the same world: the real supervisor (memory on or off,
 * or an oracle submitting the plan that knows the world) on the in-process bus with simulated
 * workers and a simulated planning model. Goals run one after the other, so each can learn from
 * all before it.
 */
async function runMode(mode: LearningMode, texts: readonly string[], settings: LearningSettings): Promise<ModeRun> {
  const planner = await SimPlannerServer.start({ timeoutMs: TASK_TIMEOUT_MS });
  const dataDir = mkdtempSync(join(tmpdir(), 'agentos-bench-memory-'));
  const world = learningWorld(settings.seed);
  let runtime: SimRuntime | undefined;
  const started = performance.now();
  try {
    runtime = await SimRuntime.start(world, supervisorService, supervisorEnv(mode, planner, dataDir, settings));
    const seenTemplates = new Set<string>();
    const goals: GoalOutcome[] = [];
    for (const text of texts) {
      const callsBefore = planner.calls.length;
      const tokensBefore = planner.tokens;
      const run = await runtime.run(text, mode === 'oracle' ? oraclePlan(text, TASK_TIMEOUT_MS) : undefined);
      const attempts = runtime.ledger.forGoals(new Set([run.goalId]));
      const llmTokens = planner.tokens - tokensBefore;
      const template = goalTemplate(text).key;
      goals.push({
        text,
        succeeded: run.terminal.type === 'goal.succeeded',
        tasks: attempts.length,
        llmCalls: planner.calls.length - callsBefore,
        llmTokens,
        cost: attempts.reduce((sum, attempt) => sum + attempt.cost, 0) + (llmTokens / 1_000) * settings.llmCostPer1kTokens,
        repeat: seenTemplates.has(template),
      });
      seenTemplates.add(template);
    }
    return { mode, goals, wallMs: performance.now() - started };
  } finally {
    await runtime?.close();
    await planner.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The three modes over one seeded sequence of goals. */
export async function runMemoryLearning(settings: LearningSettings): Promise<ModeRun[]> {
  const texts = drawGoals(settings.goals, seededRandom(settings.seed));
  const runs: ModeRun[] = [];
  for (const mode of LEARNING_MODES) {
    process.stderr.write(`memory learning: ${mode}, ${texts.length} goals\n`);
    runs.push(await runMode(mode, texts, settings));
  }
  return runs;
}
