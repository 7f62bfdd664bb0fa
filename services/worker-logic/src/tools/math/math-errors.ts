import { invalidInput, logicError, ToolError } from '@agentos/worker-kit';

/** Anything that stops an expression from parsing is a fault of its text. */
export function parseError(error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  // The recursive-descent parser overflows the stack on about a thousand nested brackets.
  if (error instanceof RangeError) return invalidInput('expression is nested too deeply to parse');
  const message = error instanceof Error ? error.message : String(error);
  const char = (error as { char?: unknown }).char;
  return invalidInput(`expression does not parse: ${message}`, typeof char === 'number' ? { char } : undefined);
}

// mathjs reports names it cannot resolve, and members its sandbox refuses, with these.
const UNRESOLVED = [/^Undefined (symbol|function) /, /^No access to /, /^Cannot access method /];

/** Unknown names are the expression's input fault; every other mathjs error (types, dimensions) its logic. */
export function evaluationError(error: unknown): unknown {
  if (error instanceof ToolError) return error;
  if (!(error instanceof Error)) return error;
  if (UNRESOLVED.some((pattern) => pattern.test(error.message))) return invalidInput(`expression cannot be evaluated: ${error.message}`);
  return logicError(`expression failed: ${error.message}`);
}
