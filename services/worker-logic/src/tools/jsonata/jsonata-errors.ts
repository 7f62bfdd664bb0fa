import { JsonObject } from '@agentos/contracts';
import { invalidInput, logicError, ToolError } from '@agentos/worker-kit';

/** JSONata throws plain objects, not Errors: `S` codes for syntax, `T` for types, `D` for dynamic errors. */
interface JsonataError {
  readonly code: string;
  readonly message?: string;
  readonly position?: number;
  readonly token?: string;
}

const JSONATA_CODE = /^[STDU]\d{4}$/;

function isJsonataError(error: unknown): error is JsonataError {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && JSONATA_CODE.test(code);
}

function describe(error: JsonataError): { message: string; details: JsonObject } {
  const details: JsonObject = { code: error.code };
  if (typeof error.position === 'number') details.position = error.position;
  if (typeof error.token === 'string') details.token = error.token;
  const at = typeof error.position === 'number' ? ` at position ${error.position}` : '';
  return { message: `${error.code}${at}: ${error.message ?? 'unknown error'}`, details };
}

/** Anything that stops an expression from compiling is a fault of the expression text. */
export function compileError(error: unknown): ToolError {
  if (isJsonataError(error)) {
    const { message, details } = describe(error);
    return invalidInput(`expression does not compile: ${message}`, details);
  }
  // e.g. the parser's own recursion overflowing on thousands of nested brackets
  const reason = error instanceof Error ? error.message : String(error);
  return invalidInput(`expression does not compile: ${reason}`);
}

/** Runtime failures are the expression's logic; an unrecognised throw stays unexpected (`internal`). */
export function evaluationError(error: unknown): unknown {
  if (error instanceof ToolError) return error;
  if (isJsonataError(error)) {
    const { message, details } = describe(error);
    return logicError(`expression failed: ${message}`, details);
  }
  // Resource exhaustion inside a built-in: string or array length, call stack.
  if (error instanceof RangeError) return logicError(`expression exhausted a resource: ${error.message}`);
  return error;
}
