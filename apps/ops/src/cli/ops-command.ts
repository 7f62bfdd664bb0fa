/** Where a command writes its output (stdout in the real CLI; a buffer in tests). */
export type Print = (text: string) => void;

/** One operator command: `npm run <script> -- [options]`. */
export interface OpsCommand {
  readonly name: string;
  /** Synopsis and a few lines on what it does. */
  readonly usage: string;
  /** Resolves to the process exit code; throws `UsageError` for a wrong command line. */
  run(args: readonly string[], env: NodeJS.ProcessEnv, print: Print): Promise<number>;
}
