import 'reflect-metadata';
import { GoalEventMessage } from '@agentos/contracts';
import { startEmbeddedRuntime } from './embedded-runtime';
import { GoalFileError, loadGoalFile } from './goal-file';
import { describeEvent } from './progress-printer';
import { runGoal } from './run-goal';

const DEFAULT_GOAL = 'examples/goals/sales-report.json';

/**
 * `npm start [-- path/to/goal.json]`: runs one goal end to end in this process, offline, on
 * the in-process bus, printing progress and the result. Exit code 0 when the goal succeeded.
 */
async function main(): Promise<number> {
  const goalPath = process.argv[2] ?? DEFAULT_GOAL;
  // The bundled examples read and write under examples/; any other root comes from IO_FS_ROOT.
  const env = { IO_FS_ROOT: 'examples', ...process.env, AGENTOS_TRANSPORT: 'in-process' };
  const goal = await loadGoalFile(goalPath);
  const runtime = await startEmbeddedRuntime(env);
  let terminal: GoalEventMessage;
  try {
    console.log(`AgentOS embedded: running ${goalPath}`);
    terminal = await runGoal(runtime.bus, runtime.topics, goal, (event) => {
      const line = describeEvent(event);
      if (line) console.log(line);
    });
  } finally {
    await runtime.close();
  }
  console.log(JSON.stringify(terminal.data ?? {}, null, 2));
  return terminal.type === 'goal.succeeded' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof GoalFileError || !(error instanceof Error) ? String(error instanceof Error ? error.message : error) : error.stack);
    process.exitCode = 1;
  },
);
