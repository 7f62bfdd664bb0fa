import { MessageKind } from '../envelope/message-kind';
import { BusMessage } from '../messages/agent-message';
import {
  asPlain,
  nestedObject,
  sampleControl,
  sampleEvent,
  sampleFailedResult,
  sampleGoal,
  sampleSucceededResult,
  sampleTask,
  TOPIC_OF_KIND,
} from '../testing/sample-messages';
import { decode } from './codec';
import { Violation } from './decode-error';

function decodePlain(plain: Record<string, unknown>) {
  return decode(TOPIC_OF_KIND[plain.kind as MessageKind], JSON.stringify(plain));
}

/** The violations decode reports, as `path: constraint,constraint` (constraints sorted). */
function violationsOf(plain: Record<string, unknown>): string[] {
  const result = decodePlain(plain);
  if (result.ok) return [];
  expect(result.error.code).toBe('schema_violation');
  return (result.error.violations ?? []).map((v: Violation) => `${v.path}: ${Object.keys(v.constraints).sort().join(',')}`);
}

/** A sample message with one change applied to its JSON. */
function broken(message: BusMessage, change: (plain: Record<string, any>) => void): Record<string, unknown> {
  const plain = asPlain(message);
  change(plain);
  return plain;
}

describe('schema violations name the offending path', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a plan task with a bad tool name', broken(sampleGoal(), (g) => (g.plan.tasks[0].tool = 'Read File')), ['plan.tasks.0.tool: matches']],
    ['a plan task with no worker type', broken(sampleGoal(), (g) => delete g.plan.tasks[2].workerType), ['plan.tasks.2.workerType: isString,matches']],
    ['a dependency that is not an id', broken(sampleGoal(), (g) => (g.plan.tasks[1].dependsOn = ['read', 'a.b'])), ['plan.tasks.1.dependsOn: matches']],
    ['an empty plan', broken(sampleGoal(), (g) => (g.plan.tasks = [])), ['plan.tasks: arrayMinSize']],
    ['a plan that is an array', broken(sampleGoal(), (g) => (g.plan = [])), ['plan: isObject']],
    ['a plan task that is an array', broken(sampleGoal(), (g) => (g.plan.tasks = [[]])), ['plan.tasks: isObject']],
    ['options that are an array', broken(sampleGoal(), (g) => (g.options = [])), ['options: isObject']],
    ['a budget of zero tasks', broken(sampleGoal(), (g) => (g.options.budget.maxTasks = 0)), ['options.budget.maxTasks: min']],
    ['a priority of 10', broken(sampleGoal(), (g) => (g.options.priority = 10)), ['options.priority: max']],
    ['an empty goal text', broken(sampleGoal(), (g) => (g.goal = '')), ['goal: isLength']],
    ['an id that is not a uuid', broken(sampleTask(), (t) => (t.id = 'task-1')), ['id: isUuid']],
    ['a goal id with a dot', broken(sampleTask(), (t) => (t.goalId = 'goal.1')), ['goalId: matches']],
    ['a creation time that is not an RFC 3339 date-time', broken(sampleTask(), (t) => (t.createdAt = 'yesterday')), ['createdAt: isTimestamp']],
    ['a fractional attempt', broken(sampleTask(), (t) => (t.attempt = 1.5)), ['attempt: isInt']],
    ['a timeout over a day', broken(sampleTask(), (t) => (t.timeoutMs = 86_400_001)), ['timeoutMs: max']],
    ['an input that is an array', broken(sampleTask(), (t) => (t.input = [1])), ['input: isBoundedJson']],
    ['no idempotency key', broken(sampleTask(), (t) => delete t.idempotencyKey), ['idempotencyKey: isLength,isString']],
    ['an unknown error code', broken(sampleFailedResult(), (r) => (r.error.code = 'oops')), ['error.code: isIn']],
    ['an error that is an array', broken(sampleFailedResult(), (r) => (r.error = [])), ['error: isObject']],
    ['timings that are an array', broken(sampleSucceededResult(), (r) => (r.timings = [])), ['timings: isObject']],
    ['a negative run time', broken(sampleSucceededResult(), (r) => (r.timings.runMs = -1)), ['timings.runMs: min']],
    ['an unknown status', broken(sampleSucceededResult(), (r) => (r.status = 'done')), ['status: isIn']],
    ['a negative cost', broken(sampleFailedResult(), (r) => (r.cost = -1)), ['cost: min']],
    ['a cost over the limit', broken(sampleSucceededResult(), (r) => (r.cost = 1e10)), ['cost: max']],
    ['a cost that is a string', broken(sampleSucceededResult(), (r) => (r.cost = '12.5')), ['cost: isNumber,max,min']],
    ['a worker type in capitals', broken(sampleControl(), (c) => (c.target.workerType = 'IO')), ['target.workerType: matches']],
    ['no control target', broken(sampleControl(), (c) => delete c.target), ['target: isDefined,isObject']],
    ['a control goal id of "**"', broken(sampleControl(), (c) => (c.goalId = '**')), ['goalId: matches']],
    ['an unknown event type', broken(sampleEvent(), (e) => (e.type = 'goal.exploded')), ['type: isIn']],
  ])('%s', (_name, plain, expected) => {
    expect(violationsOf(plain)).toEqual(expected);
  });

  it('rejects a cost that the JSON text makes infinite (1e400)', () => {
    const text = JSON.stringify(asPlain(sampleSucceededResult({ cost: 1 }))).replace('"cost":1', '"cost":1e400');
    const result = decode(TOPIC_OF_KIND.result, text);
    expect(result.ok ? [] : (result.error.violations ?? []).map((v: Violation) => `${v.path}: ${Object.keys(v.constraints).sort().join(',')}`)).toEqual([
      'cost: isNumber,max',
    ]);
  });

  it('caps the violations it reports at 20', () => {
    const goal = broken(sampleGoal(), (g) => {
      g.plan.tasks = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, workerType: 'io', tool: 'BAD' }));
    });
    expect(violationsOf(goal)).toHaveLength(20);
  });
});

describe('result status decides whether output or error is required', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['succeeded without output', broken(sampleSucceededResult(), (r) => delete r.output), ['output: isBoundedJson']],
    ['failed without error', broken(sampleFailedResult(), (r) => delete r.error), ['error: isDefined,isObject']],
    ['failed with output but no error', broken(sampleFailedResult(), (r) => ((r.output = 1), delete r.error)), ['error: isDefined,isObject']],
  ])('rejects a result %s', (_name, plain, expected) => {
    expect(violationsOf(plain)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['succeeded with an extra error', broken(sampleSucceededResult(), (r) => (r.error = { code: 'internal' }))],
    ['failed with an extra output', broken(sampleFailedResult(), (r) => (r.output = { partial: true }))],
  ])('accepts a result %s (the field that does not apply is not validated)', (_name, plain) => {
    expect(decodePlain(plain).ok).toBe(true);
  });
});

describe('nesting depth', () => {
  it.each([
    ['task input', (depth: number) => sampleTask({ input: nestedObject(depth) as never })],
    ['plan task input', (depth: number) => broken(sampleGoal(), (g) => (g.plan.tasks[0].input = nestedObject(depth)))],
    ['result output', (depth: number) => sampleSucceededResult({ output: nestedObject(depth) as never })],
    ['event data', (depth: number) => sampleEvent({ data: nestedObject(depth) as never })],
  ])('accepts %s nested 64 deep and rejects 65', (_name, messageWithDepth) => {
    expect(decodePlain(asPlain(messageWithDepth(64))).ok).toBe(true);
    const tooDeep = decodePlain(asPlain(messageWithDepth(65)));
    expect(tooDeep).toMatchObject({ ok: false, error: { code: 'schema_violation' } });
    expect(!tooDeep.ok && tooDeep.error.violations?.[0]?.constraints).toHaveProperty('isBoundedJson');
  });

  it('rejects a hostile, very deeply nested record without throwing', () => {
    const depth = 50_000;
    const task = JSON.stringify(sampleTask({ input: { placeholder: 0 } }));
    const hostile = task.replace('{"placeholder":0}', `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`);
    const result = decode(TOPIC_OF_KIND.task, hostile);
    expect(result).toMatchObject({ ok: false, error: { code: 'schema_violation' } });
    expect(!result.ok && result.error.reason).toMatch(/nested more than 128 levels/);
  });
});
