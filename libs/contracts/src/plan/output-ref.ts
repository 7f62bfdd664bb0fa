import { ID_PATTERN } from '../limits';
import { isJsonObject, JsonValue } from '../json/json-value';

/**
 * A reference from a task's input to an upstream task's output: `{ "$ref": "<taskId>" }`
 * for the whole output, `{ "$ref": "<taskId>.<path>" }` for part of it, where path segments
 * are object keys or array indexes (`aggregate.rows.0.total`).
 */
export interface OutputRef {
  readonly taskId: string;
  readonly path: readonly string[];
}

export const REF_KEY = '$ref';

export function isRefObject(value: JsonValue): value is { $ref: string } {
  return isJsonObject(value) && typeof value[REF_KEY] === 'string' && Object.keys(value).length === 1;
}

/** Parses a `$ref` string; undefined when it does not name a task id. */
export function parseOutputRef(ref: string): OutputRef | undefined {
  const [taskId, ...path] = ref.split('.');
  if (!taskId || !ID_PATTERN.test(taskId) || path.some((segment) => segment.length === 0)) return undefined;
  return { taskId, path };
}

/** Every `$ref` string in a value, in document order. */
export function collectRefs(value: JsonValue | undefined, into: string[] = []): string[] {
  if (value === undefined || value === null || typeof value !== 'object') return into;
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
    return into;
  }
  if (isRefObject(value)) {
    into.push(value.$ref);
    return into;
  }
  for (const key of Object.keys(value)) collectRefs(value[key], into);
  return into;
}
