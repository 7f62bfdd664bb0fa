import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line is about: set around each delivered message's handler, read by the logger. */
export interface LogContext {
  readonly goalId?: string;
  readonly taskId?: string;
  readonly traceId?: string;
  readonly spanId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` as the current log context (nested calls see the innermost). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

/** The current log context, or an empty one outside any handler. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
