export { seededRandom } from '@agentos/runtime';

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], into: Path[] = []): Path[] {
  if (value === null || typeof value !== 'object') return into;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    const path = [...prefix, key];
    into.push(path);
    pathsOf((value as Record<string | number, unknown>)[key], path, into);
  }
  return into;
}

function deeplyNested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 0; level < depth; level++) value = { level: value };
  return value;
}

/** Values that probe types, limits and formats: what a hostile or careless publisher sends. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  undefined,
  0,
  -1,
  1.5,
  2 ** 53,
  101,
  86_400_001,
  Number.MAX_SAFE_INTEGER,
  '',
  'x',
  'X'.repeat(300),
  'y'.repeat(20_000),
  'with.dot',
  'UPPER',
  '../escape',
  '/etc/passwd',
  'http://127.0.0.1/',
  'io',
  'noop',
  '2026-02-30T00:00:00Z',
  '2026-11-25T10:00:00Z',
  '6f1c1c55-3b7a-4c55-9f0e-0d6a1f2f8a10',
  'succeeded',
  'failed',
  'timeout',
  'GET',
  'utf8',
  true,
  false,
  [],
  [1],
  ['a', 'b'],
  [{}],
  [{ id: 'a', workerType: 'io', tool: 'noop' }],
  {},
  { a: 1 },
  { constructor: { name: 'x' } },
  { $ref: 'a' },
  deeplyNested(70),
];

/**
 * One to three random edits of a JSON value: delete a field, add an unknown one, or replace a
 * value (at any depth) by one of HOSTILE_VALUES. Arrays are edited by splice, never left sparse,
 * as JSON can have no holes.
 */
export function mutateJson<T>(value: T, random: () => number, replacements: readonly unknown[] = HOSTILE_VALUES): T {
  const copy = structuredClone(value) as unknown;
  const pick = () => structuredClone(replacements[Math.floor(random() * replacements.length)]);
  const edits = 1 + Math.floor(random() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const paths = pathsOf(copy);
    if (paths.length === 0) return pick() as T;
    const path = paths[Math.floor(random() * paths.length)]!;
    let parent = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = path.at(-1)!;
    const roll = random();
    if (roll < 0.15) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (roll < 0.25 && !Array.isArray(parent)) {
      parent[`extra${edit}`] = pick();
    } else {
      parent[key] = pick();
    }
  }
  return copy as T;
}
