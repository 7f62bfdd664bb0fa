import { parseArgs } from 'node:util';
import { MemoryConfig } from '@agentos/memory';
import { loadConfig } from '@agentos/runtime';
import { OpsCommand, Print } from '../cli/ops-command';
import { parsingUsage, UsageError } from '../cli/usage-error';
import { inspectMemory } from '@agentos/memory';
import { memoryReportText } from './memory-report-text';
import { openExistingMemory } from './open-existing-memory';

/** Plan shapes listed unless `--plans` says otherwise. */
export const DEFAULT_PLAN_LIMIT = 20;

const USAGE = `memory-inspect [--json] [--plans N]   (npm run memory:inspect -- ...)
  Shows what the supervisor's memory has learned: tool stats per worker type, recovery stats, the plan library.
  Memory is PostgreSQL when DATABASE_URL is set, else SQLite under MEMORY_DATA_DIR (default .agentos/data).
  --json     print the report as JSON
  --plans N  list the N plan shapes with the most runs (default ${DEFAULT_PLAN_LIMIT})`;

interface MemoryInspectArgs {
  readonly json: boolean;
  readonly plans: number;
}

function parseMemoryInspectArgs(args: readonly string[]): MemoryInspectArgs {
  const { values } = parsingUsage(() => parseArgs({ args: [...args], options: { json: { type: 'boolean' }, plans: { type: 'string' } } }));
  const plans = values.plans === undefined ? DEFAULT_PLAN_LIMIT : Number(values.plans);
  if (!Number.isInteger(plans) || plans < 1) throw new UsageError(`--plans must be a positive integer, got ${values.plans}`);
  return { json: values.json ?? false, plans };
}

/** `memory-inspect`: prints the memory report; exit code 0 also when there is no memory yet. */
export async function runMemoryInspect(args: readonly string[], env: NodeJS.ProcessEnv, print: Print): Promise<number> {
  const options = parseMemoryInspectArgs(args);
  const memory = await openExistingMemory(loadConfig(MemoryConfig, env));
  if (!memory.found) {
    print(`no memory yet: ${memory.path} does not exist (the supervisor creates it on its first finished goal)`);
    return 0;
  }
  try {
    const report = await inspectMemory(memory.store, { planLimit: options.plans });
    print(options.json ? JSON.stringify(report, null, 2) : memoryReportText(report));
  } finally {
    await memory.store.close();
  }
  return 0;
}

export const memoryInspectCommand: OpsCommand = { name: 'memory-inspect', usage: USAGE, run: runMemoryInspect };
