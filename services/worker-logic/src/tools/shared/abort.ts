import { ToolError } from '@agentos/worker-kit';

/**
 * The error to throw once the task's signal has aborted. The executor aborts with a ToolError
 * saying why (deadline, cancellation, shutdown); anything else is reported as a cancellation.
 */
export function abortedError(signal: AbortSignal, toolName: string): ToolError {
  if (signal.reason instanceof ToolError) return signal.reason;
  return new ToolError('cancelled', `${toolName} was aborted`, { cause: signal.reason });
}

export function throwIfAborted(signal: AbortSignal, toolName: string): void {
  if (signal.aborted) throw abortedError(signal, toolName);
}
