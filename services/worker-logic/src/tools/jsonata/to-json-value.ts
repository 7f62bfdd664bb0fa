import { JsonObject, JsonValue, LIMITS } from '@agentos/contracts';
import { logicError } from '@agentos/worker-kit';

/**
 * Turns what JSONata returned into plain JSON. JSONata hands back arrays flagged as
 * sequences, null-prototype objects, `undefined` for "no match", non-finite numbers
 * (`1/0`) and functions; only the first three have a JSON meaning.
 */
export function toJsonValue(value: unknown): JsonValue {
  return convert(value, '$', 0) ?? null;
}

function convert(value: unknown, path: string, depth: number): JsonValue | undefined {
  if (value === undefined || value === null) return value as undefined | null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw logicError(`result is not a finite number at ${path} (${value})`, { path });
      return value;
    case 'object':
      if (isJsonataFunction(value)) throw notJson(path, 'a function');
      if (depth >= LIMITS.maxJsonDepth) {
        throw logicError(`result nests deeper than ${LIMITS.maxJsonDepth} levels at ${path}`, { path });
      }
      return Array.isArray(value) ? convertArray(value, path, depth + 1) : convertObject(value, path, depth + 1);
    default:
      throw notJson(path, `a ${typeof value}`);
  }
}

function convertArray(items: readonly unknown[], path: string, depth: number): JsonValue[] {
  // A plain array: drops the `sequence`/`keepSingleton` flags JSONata sets on its own.
  return items.map((item, index) => convert(item, `${path}[${index}]`, depth) ?? null);
}

function convertObject(value: object, path: string, depth: number): JsonObject {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw notJson(path, 'a non-plain object');
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = convert(item, `${path}.${key}`, depth);
    // defineProperty: a `__proto__` key stays data instead of replacing the prototype.
    if (converted !== undefined) Object.defineProperty(result, key, { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

function isJsonataFunction(value: object): boolean {
  const flags = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return flags._jsonata_lambda === true || flags._jsonata_function === true;
}

function notJson(path: string, what: string) {
  return logicError(`result is not JSON: ${what} at ${path}`, { path });
}
