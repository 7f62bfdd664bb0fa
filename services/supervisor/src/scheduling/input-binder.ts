import { isJsonObject, isRefObject, JsonObject, JsonValue, parseOutputRef } from '@agentos/contracts';

/** A `$ref` whose path does not exist in the upstream output it names. */
export class UnresolvedReferenceError extends Error {
  constructor(readonly ref: string, reason: string) {
    super(`cannot bind "${ref}": ${reason}`);
  }
}

function follow(value: JsonValue | undefined, path: readonly string[], ref: string): JsonValue {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= current.length) {
        throw new UnresolvedReferenceError(ref, `index "${segment}" is outside an array of ${current.length}`);
      }
      current = current[index];
    } else if (isJsonObject(current) && Object.prototype.hasOwnProperty.call(current, segment)) {
      current = current[segment];
    } else {
      throw new UnresolvedReferenceError(ref, `the upstream output has no "${segment}"`);
    }
  }
  if (current === undefined) throw new UnresolvedReferenceError(ref, 'the upstream task has no output');
  return current;
}

/**
 * Replaces every `{ "$ref": "task.path" }` in a task's input by the value it names in an
 * upstream output. Upstream outputs are shared, not copied: tasks never mutate their input.
 */
export function bindInput(input: JsonObject, outputOf: (taskId: string) => JsonValue | undefined): JsonObject {
  const bind = (value: JsonValue): JsonValue => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(bind);
    if (isRefObject(value)) {
      const parsed = parseOutputRef(value.$ref);
      if (!parsed) throw new UnresolvedReferenceError(value.$ref, 'malformed reference');
      return follow(outputOf(parsed.taskId), parsed.path, value.$ref);
    }
    const bound: JsonObject = {};
    for (const key of Object.keys(value)) bound[key] = bind(value[key]!);
    return bound;
  };
  return bind(input) as JsonObject;
}
