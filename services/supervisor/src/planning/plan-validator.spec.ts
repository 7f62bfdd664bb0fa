import { LIMITS, TaskGraph, TaskNode } from '@agentos/contracts';
import { StaticToolCatalog } from '../catalog/tool-catalog';
import { PlanError, PlanErrorCode, PLAN_ERROR_CODES } from './plan-error';
import { PlanValidator } from './plan-validator';
import { ValidatedPlan } from './validated-plan';

const catalog = new StaticToolCatalog({
  io: ['noop', 'fs.read', 'http.request'],
  logic: ['noop', 'csv.parse', 'math.evaluate'],
});

const validator = new PlanValidator(catalog);

/** A task on the io pool running noop unless said otherwise. */
const node = (id: string, extra: Partial<TaskNode> = {}): TaskNode => ({ id, workerType: 'io', tool: 'noop', ...extra });

function compile(graph: TaskGraph, using: PlanValidator = validator): ValidatedPlan {
  const validation = using.validate(graph);
  if (!validation.ok) throw new Error(`expected a valid plan, got ${JSON.stringify(validation.errors)}`);
  return validation.plan;
}

function errorsOf(graph: TaskGraph, using: PlanValidator = validator): PlanError[] {
  const validation = using.validate(graph);
  if (validation.ok) throw new Error('expected the plan to be rejected');
  return validation.errors;
}

/** Dependencies or dependents as task ids, for readable assertions. */
function edges(plan: ValidatedPlan, direction: 'dependencies' | 'dependents'): Record<string, string[]> {
  return Object.fromEntries(plan.nodes.map((task, index) => [task.id, plan[direction][index]!.map((other) => plan.nodes[other]!.id).sort()]));
}

const ids = (plan: ValidatedPlan, indexes: readonly number[]): string[] => indexes.map((index) => plan.nodes[index]!.id);

/** Parses "the plan has a cycle: a -> b -> a" into ['a', 'b', 'a']. */
function cyclePath(error: PlanError): string[] {
  const match = /the plan has a cycle: (.+)$/.exec(error.message);
  if (!match) throw new Error(`no cycle path in "${error.message}"`);
  return match[1]!.split(' -> ');
}

/** Asserts `path` is a closed walk along real edges (each task depends on the one before it) visiting `members` once each. */
function expectCycleThrough(graph: TaskGraph, path: readonly string[], members: readonly string[]): void {
  expect(path[0]).toBe(path[path.length - 1]);
  expect([...path.slice(1)].sort()).toEqual([...members].sort());
  const upstreamOf = (id: string): string[] => {
    const task = graph.tasks.find((candidate) => candidate.id === id)!;
    const refs = JSON.stringify(task.input ?? {}).match(/"\$ref":"([^".]+)/g)?.map((ref) => ref.slice(8)) ?? [];
    return [...(task.dependsOn ?? []), ...refs];
  };
  for (let i = 1; i < path.length; i++) expect(upstreamOf(path[i]!)).toContain(path[i - 1]);
}

describe('PlanValidator', () => {
  describe('a valid fan-out / fan-in plan', () => {
    const graph: TaskGraph = {
      tasks: [
        node('fetch', { tool: 'http.request', input: { url: 'https://example.com/orders.csv' } }),
        node('parse-a', { workerType: 'logic', tool: 'csv.parse', input: { text: { $ref: 'fetch.body' } } }),
        node('parse-b', { workerType: 'logic', tool: 'csv.parse', dependsOn: ['fetch'] }),
        node('parse-c', { workerType: 'logic', tool: 'csv.parse', input: { text: { $ref: 'fetch' } }, dependsOn: ['fetch'] }),
        node('sum', {
          workerType: 'logic',
          tool: 'math.evaluate',
          input: { values: [{ $ref: 'parse-a.rows' }, { $ref: 'parse-b.rows.0' }], nested: { c: { $ref: 'parse-c' } } },
        }),
      ],
    };

    it('compiles with dependencies from dependsOn and from references, without duplicates', () => {
      const plan = compile(graph);
      expect(edges(plan, 'dependencies')).toEqual({
        fetch: [],
        'parse-a': ['fetch'],
        'parse-b': ['fetch'],
        'parse-c': ['fetch'],
        sum: ['parse-a', 'parse-b', 'parse-c'],
      });
    });

    it('compiles the reverse edges as dependents', () => {
      expect(edges(compile(graph), 'dependents')).toEqual({
        fetch: ['parse-a', 'parse-b', 'parse-c'],
        'parse-a': ['sum'],
        'parse-b': ['sum'],
        'parse-c': ['sum'],
        sum: [],
      });
    });

    it('indexes tasks by id in plan order and flags the inputs that hold references', () => {
      const plan = compile(graph);
      expect(plan.nodes).toBe(graph.tasks);
      expect([...plan.indexOf.entries()]).toEqual([['fetch', 0], ['parse-a', 1], ['parse-b', 2], ['parse-c', 3], ['sum', 4]]);
      expect(plan.hasRefs).toEqual([false, true, false, true, true]);
    });

    it('takes the sinks as outputs by default', () => {
      expect(ids(compile(graph), compile(graph).outputs)).toEqual(['sum']);
      const twoSinks = compile({ tasks: [node('a'), node('b', { dependsOn: ['a'] }), node('c', { dependsOn: ['a'] }), node('lonely')] });
      expect(ids(twoSinks, twoSinks.outputs)).toEqual(['b', 'c', 'lonely']);
    });

    it('takes the outputs the plan names, in its order', () => {
      const plan = compile({ ...graph, outputs: ['parse-b', 'fetch'] });
      expect(ids(plan, plan.outputs)).toEqual(['parse-b', 'fetch']);
    });
  });

  it('accepts a single task', () => {
    const plan = compile({ tasks: [node('only')] });
    expect(plan.dependencies).toEqual([[]]);
    expect(plan.outputs).toEqual([0]);
  });

  it('adds an edge for a reference alone (no dependsOn), so the referenced task runs first', () => {
    const plan = compile({ tasks: [node('late', { input: { x: { $ref: 'early.value' } } }), node('early')] });
    expect(edges(plan, 'dependencies')).toEqual({ late: ['early'], early: [] });
    expect(ids(plan, plan.outputs)).toEqual(['late']);
  });

  it('treats a $ref object with other keys as data, not as an edge', () => {
    const plan = compile({ tasks: [node('a'), node('b', { input: { schema: { $ref: 'a', type: 'object' } } })] });
    expect(edges(plan, 'dependencies')).toEqual({ a: [], b: [] });
    expect(plan.hasRefs).toEqual([false, false]);
  });

  describe('errors', () => {
    it.each<[PlanErrorCode, TaskGraph, string | undefined, RegExp]>([
      ['duplicate_task', { tasks: [node('a'), node('b'), node('a')] }, 'a', /"a" is used more than once/],
      ['unknown_dependency', { tasks: [node('a', { dependsOn: ['ghost'] })] }, 'a', /depends on unknown task "ghost"/],
      ['self_dependency', { tasks: [node('a', { dependsOn: ['a'] })] }, 'a', /"a" depends on itself/],
      ['self_dependency', { tasks: [node('a', { input: { me: { $ref: 'a.x' } } })] }, 'a', /"a" references its own output/],
      ['invalid_reference', { tasks: [node('a'), node('b', { input: { x: { $ref: 'a..x' } } })] }, 'b', /malformed reference "a\.\.x"/],
      ['invalid_reference', { tasks: [node('b', { input: { x: [{ $ref: '' }] } })] }, 'b', /malformed reference ""/],
      ['unknown_reference', { tasks: [node('b', { input: { x: { $ref: 'ghost.rows' } } })] }, 'b', /output of unknown task "ghost"/],
      ['unknown_worker_type', { tasks: [node('a', { workerType: 'gpu' })] }, 'a', /worker type "gpu", which nobody offers \(alive: io, logic\)/],
      ['unknown_tool', { tasks: [node('a', { tool: 'fs.delete' })] }, 'a', /tool "fs.delete", which worker type "io" does not offer \(it offers: fs.read, http.request, noop\)/],
      ['unknown_tool', { tasks: [node('a', { workerType: 'logic', tool: 'fs.read' })] }, 'a', /"fs.read", which worker type "logic" does not offer/],
      ['unknown_output', { tasks: [node('a')], outputs: ['a', 'ghost'] }, 'ghost', /output "ghost" is not a task of the plan/],
    ])('%s: %s', (code, graph, taskId, message) => {
      const errors = errorsOf(graph);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code, taskId });
      expect(errors[0]!.message).toMatch(message);
    });

    it('too_many_tasks: refuses a plan over the limit before looking inside it', () => {
      const small = new PlanValidator(catalog, 3);
      expect(compile({ tasks: [node('a'), node('b'), node('c')] }, small).nodes).toHaveLength(3);
      const errors = errorsOf({ tasks: [node('a'), node('a'), node('c', { workerType: 'gpu' }), node('d')] }, small);
      expect(errors).toEqual([{ code: 'too_many_tasks', message: 'plan has 4 tasks, the limit is 3' }]);
    });

    it('defaults the task limit to the wire limit', () => {
      const tasks = Array.from({ length: LIMITS.maxTasksPerGraph + 1 }, (_, i) => node(`t${i}`));
      expect(errorsOf({ tasks }).map((error) => error.code)).toEqual(['too_many_tasks']);
    });

    it('reports every problem of a plan at once, each with its task', () => {
      const errors = errorsOf({
        tasks: [
          node('a', { workerType: 'gpu' }),
          node('b', { dependsOn: ['ghost'] }),
          node('b'),
          node('c', { tool: 'rm.rf', input: { x: { $ref: 'nowhere' } } }),
        ],
        outputs: ['zzz'],
      });
      expect(errors.map((error) => [error.code, error.taskId])).toEqual([
        ['duplicate_task', 'b'],
        ['unknown_worker_type', 'a'],
        ['unknown_dependency', 'b'],
        ['unknown_tool', 'c'],
        ['unknown_reference', 'c'],
        ['unknown_output', 'zzz'],
      ]);
    });

    it('caps the errors reported for a hopeless plan', () => {
      const tasks = Array.from({ length: 500 }, (_, i) => node(`t${i}`, { dependsOn: [`ghost${i}`] }));
      const errors = errorsOf({ tasks });
      expect(errors).toHaveLength(50);
      expect(errors.every((error) => error.code === 'unknown_dependency')).toBe(true);
    });

    it('uses only codes it declares', () => {
      const codes = new Set<string>(PLAN_ERROR_CODES);
      const errors = errorsOf({ tasks: [node('a', { workerType: 'gpu', dependsOn: ['a', 'x'], input: { r: { $ref: '..' } } })], outputs: ['y'] });
      for (const error of errors) expect(codes.has(error.code)).toBe(true);
    });
  });

  describe('cycles', () => {
    it.each<[string, TaskGraph, string[]]>([
      ['two tasks depending on each other', { tasks: [node('a', { dependsOn: ['b'] }), node('b', { dependsOn: ['a'] })] }, ['a', 'b']],
      [
        'three tasks in a ring',
        { tasks: [node('a', { dependsOn: ['c'] }), node('b', { dependsOn: ['a'] }), node('c', { dependsOn: ['b'] })] },
        ['a', 'b', 'c'],
      ],
      [
        'a ring closed by an input reference',
        { tasks: [node('a', { input: { x: { $ref: 'c.out' } } }), node('b', { dependsOn: ['a'] }), node('c', { input: { y: [{ $ref: 'b' }] } })] },
        ['a', 'b', 'c'],
      ],
      [
        'a ring with a tail leading in and tasks hanging off it (listed first)',
        {
          tasks: [
            node('after', { dependsOn: ['ring-3'] }),
            node('after-after', { dependsOn: ['after'] }),
            node('root'),
            node('ring-1', { dependsOn: ['root', 'ring-3'] }),
            node('ring-2', { dependsOn: ['ring-1'] }),
            node('ring-3', { dependsOn: ['ring-2'] }),
          ],
        },
        ['ring-1', 'ring-2', 'ring-3'],
      ],
    ])('names the cycle path of %s, and only that', (_name, graph, members) => {
      const errors = errorsOf(graph);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.code).toBe('cycle');
      expect(members).toContain(errors[0]!.taskId);
      const path = cyclePath(errors[0]!);
      expect(path[0]).toBe(errors[0]!.taskId);
      expectCycleThrough(graph, path, members);
    });

    it('finds a cycle spanning a 100,000-task chain without overflowing the stack', () => {
      const count = 100_000;
      const tasks = Array.from({ length: count }, (_, i) => node(`t${i}`, { dependsOn: [`t${(i + count - 1) % count}`] }));
      const errors = errorsOf({ tasks });
      expect(errors.map((error) => error.code)).toEqual(['cycle']);
      const path = cyclePath(errors[0]!);
      expect(path).toHaveLength(count + 1);
      expect(path[0]).toBe(path[count]);
    });
  });

  describe('large plans', () => {
    const count = LIMITS.maxTasksPerGraph;

    it('validates a 100,000-task chain', () => {
      const tasks = Array.from({ length: count }, (_, i) => node(`t${i}`, i === 0 ? {} : { dependsOn: [`t${i - 1}`] }));
      const plan = compile({ tasks });
      expect(plan.nodes).toHaveLength(count);
      expect(plan.dependencies[count - 1]).toEqual([count - 2]);
      expect(plan.dependents[0]).toEqual([1]);
      expect(plan.outputs).toEqual([count - 1]);
    });

    it('validates a 100,000-task chain written with references, listed backwards', () => {
      const tasks = Array.from({ length: count }, (_, j) => {
        const i = count - 1 - j;
        return node(`t${i}`, i === 0 ? {} : { input: { previous: { $ref: `t${i - 1}.value` } } });
      });
      const plan = compile({ tasks });
      expect(ids(plan, plan.outputs)).toEqual([`t${count - 1}`]);
    });

    it('validates a 100,000-task fan-out and fan-in', () => {
      const leaves = Array.from({ length: count - 2 }, (_, i) => node(`leaf${i}`, { dependsOn: ['root'] }));
      const join = node('join', { dependsOn: leaves.slice(0, LIMITS.maxDependenciesPerTask).map((leaf) => leaf.id) });
      const plan = compile({ tasks: [node('root'), ...leaves, join] });
      expect(plan.dependents[0]).toHaveLength(count - 2);
      expect(plan.dependencies[count - 1]).toHaveLength(LIMITS.maxDependenciesPerTask);
      // join, and every leaf that join does not wait for, is a sink.
      expect(plan.outputs).toHaveLength(1 + (count - 2 - LIMITS.maxDependenciesPerTask));
    });
  });
});
