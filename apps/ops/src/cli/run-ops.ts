import { dlqReplayCommand } from '../dlq/dlq-replay.command';
import { memoryInspectCommand } from '../memory/memory-inspect.command';
import { OpsCommand, Print } from './ops-command';
import { UsageError } from './usage-error';

export const OPS_COMMANDS: readonly OpsCommand[] = [dlqReplayCommand, memoryInspectCommand];

export const OPS_USAGE = ['usage: node dist/apps/ops/src/main.js <command> [options]', ...OPS_COMMANDS.map((command) => command.usage)].join('\n\n');

export interface OpsOutput {
  readonly out: Print;
  readonly err: Print;
}

/** Runs the command `argv` names; resolves to the exit code (2 for a wrong command line). */
export async function runOps(argv: readonly string[], env: NodeJS.ProcessEnv, output: OpsOutput): Promise<number> {
  const [name, ...args] = argv;
  const command = OPS_COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    output.err(name === undefined ? OPS_USAGE : `unknown command: ${name}\n\n${OPS_USAGE}`);
    return 2;
  }
  try {
    return await command.run(args, env, output.out);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`${error.message}\n\nusage: ${command.usage}`);
    return 2;
  }
}
