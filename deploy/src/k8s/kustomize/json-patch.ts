import { isRecord } from '../manifest/k8s-resource';
import { ManifestError } from '../manifest/manifest-error';
import { jsonEqual } from '../manifest/json-equal';

/** One RFC 6902 operation; `move` and `copy` are not used by these manifests and are refused. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'test';
  readonly path: string;
  readonly value?: unknown;
}

const OPERATIONS = new Set(['add', 'remove', 'replace', 'test']);

/** Reads a patch file's content: a list of operations, or a ManifestError saying what is wrong. */
export function parseJsonPatch(value: unknown, source: string): JsonPatchOperation[] {
  if (!Array.isArray(value)) {
    throw new ManifestError(`${source}: only JSON 6902 patches (a list of operations) are supported`, { source });
  }
  return value.map((operation, index) => {
    if (!isRecord(operation) || typeof operation.op !== 'string' || !OPERATIONS.has(operation.op) || typeof operation.path !== 'string') {
      throw new ManifestError(`${source}: operation ${index} must be {op: add|remove|replace|test, path}`, { source });
    }
    if (operation.op !== 'remove' && !('value' in operation)) {
      throw new ManifestError(`${source}: operation ${index} (${operation.op}) has no value`, { source });
    }
    return operation as unknown as JsonPatchOperation;
  });
}

/** The document with every operation applied in order; the input is left untouched. */
export function applyJsonPatch<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  const root = { value: structuredClone(document) as unknown };
  for (const operation of operations) apply(root, operation);
  return root.value as T;
}

function apply(root: { value: unknown }, operation: JsonPatchOperation): void {
  const tokens = parsePointer(operation.path);
  if (tokens.length === 0) {
    if (operation.op === 'test') return expectEqual(root.value, operation);
    if (operation.op === 'remove') throw failure(operation, 'cannot remove the whole document');
    root.value = structuredClone(operation.value);
    return;
  }
  const parent = resolve(root.value, tokens.slice(0, -1), operation);
  const key = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) return applyToArray(parent, key, operation);
  if (!isRecord(parent)) throw failure(operation, 'parent is not an object or array');
  const exists = Object.prototype.hasOwnProperty.call(parent, key);
  if (operation.op !== 'add' && !exists) throw failure(operation, 'no such member');
  if (operation.op === 'test') return expectEqual(parent[key], operation);
  if (operation.op === 'remove') delete parent[key];
  else parent[key] = structuredClone(operation.value);
}

function applyToArray(array: unknown[], token: string, operation: JsonPatchOperation): void {
  if (operation.op === 'add' && token === '-') {
    array.push(structuredClone(operation.value));
    return;
  }
  const index = arrayIndex(token, operation);
  const limit = operation.op === 'add' ? array.length : array.length - 1;
  if (index > limit) throw failure(operation, `index ${index} is out of bounds (length ${array.length})`);
  if (operation.op === 'test') return expectEqual(array[index], operation);
  if (operation.op === 'add') array.splice(index, 0, structuredClone(operation.value));
  else if (operation.op === 'remove') array.splice(index, 1);
  else array[index] = structuredClone(operation.value);
}

function resolve(document: unknown, tokens: readonly string[], operation: JsonPatchOperation): unknown {
  let current = document;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[arrayIndex(token, operation)];
    else if (isRecord(current) && Object.prototype.hasOwnProperty.call(current, token)) current = current[token];
    else throw failure(operation, `no member "${token}" on the way`);
    if (current === undefined) throw failure(operation, `no member "${token}" on the way`);
  }
  return current;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new ManifestError(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, operation: JsonPatchOperation): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw failure(operation, `"${token}" is not an array index`);
  return Number(token);
}

function expectEqual(actual: unknown, operation: JsonPatchOperation): void {
  if (!jsonEqual(actual, operation.value)) {
    throw failure(operation, `found ${JSON.stringify(actual)}, expected ${JSON.stringify(operation.value)}`);
  }
}

function failure(operation: JsonPatchOperation, reason: string): ManifestError {
  return new ManifestError(`patch ${operation.op} ${operation.path}: ${reason}`, { op: operation.op, path: operation.path });
}
