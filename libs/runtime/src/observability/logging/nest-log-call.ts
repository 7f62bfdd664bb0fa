/** A NestJS logger call taken apart: the line, and the context and stack Nest passes along as extra arguments. */
export interface NestLogCall {
  readonly msg: string;
  readonly context?: string;
  readonly stack?: string;
}

/** How Nest's ConsoleLogger tells a stack from a context in `error(message, stackOrContext)`. */
const STACK_FORMAT = /^(.)+\n\s+at .+:\d+:\d+/;

/**
 * Reads a LoggerService call the way Nest's ConsoleLogger does: a `Logger('Ctx')` instance
 * appends its context as the last argument; `error` may carry a stack before it (or undefined
 * in its place). Further arguments are messages too, joined into one line.
 */
export function parseNestLogCall(message: unknown, params: readonly unknown[], isError: boolean): NestLogCall {
  let messages: unknown[] = [message, ...params];
  let context: string | undefined;
  let stack: string | undefined;
  if (isError && messages.length === 2) {
    const second = messages[1];
    if (typeof second === 'string' && STACK_FORMAT.test(second)) stack = second;
    else if (typeof second === 'string') context = second;
    messages = [message];
  } else {
    if (messages.length > 1 && typeof messages.at(-1) === 'string') context = messages.pop() as string;
    if (isError && messages.length > 1 && (typeof messages.at(-1) === 'string' || messages.at(-1) === undefined)) {
      stack = messages.pop() as string | undefined;
    }
  }
  if (message instanceof Error && stack === undefined) stack = message.stack;
  return {
    msg: messages.map(describe).join(' '),
    ...(context !== undefined ? { context } : {}),
    ...(stack !== undefined ? { stack } : {}),
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
