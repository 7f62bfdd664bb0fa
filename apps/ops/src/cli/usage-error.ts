/** The command line was wrong: the dispatcher prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs an argument parser (`node:util` parseArgs throws plain TypeErrors) and turns its failures into usage errors. */
export function parsingUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
