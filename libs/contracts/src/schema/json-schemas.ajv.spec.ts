// Checks the published schemas with a real JSON Schema validator (ajv, draft-07), and that
// they agree with `decode` on what a valid message is.
import Ajv from 'ajv';
import { decode } from '../codec/codec';
import { MessageKind } from '../envelope/message-kind';
import { BusMessage } from '../messages/agent-message';
import {
  asPlain,
  sampleCapabilities,
  sampleControl,
  sampleEvent,
  sampleFailedResult,
  sampleGoal,
  sampleSucceededResult,
  sampleTask,
  TOPIC_OF_KIND,
} from '../testing/sample-messages';
import { buildJsonSchemas } from './json-schemas';
import { schemaId, SchemaName } from './schema-catalog';

const ajv = new Ajv({ allErrors: true, strictKeywords: true });
for (const schema of Object.values(buildJsonSchemas())) ajv.addSchema(schema);

function validBySchema(name: SchemaName, message: unknown): boolean {
  const validate = ajv.getSchema(schemaId(name));
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(message) === true;
}

function validByDecode(plain: Record<string, unknown>): boolean {
  return decode(TOPIC_OF_KIND[plain.kind as MessageKind] ?? 'agentos.goals.v1', JSON.stringify(plain)).ok;
}

function broken(message: BusMessage, change: (plain: Record<string, any>) => void): Record<string, unknown> {
  const plain = asPlain(message);
  change(plain);
  return plain;
}

it('every schema compiles, with no unknown keyword', () => {
  for (const name of ['goal', 'task', 'result', 'control', 'event', 'capabilities', 'agent-message', 'bus-message'] as const) {
    expect(ajv.getSchema(schemaId(name))).toEqual(expect.any(Function));
  }
});

describe('valid messages pass the schema of their kind, the bus-message union and decode', () => {
  it.each<[string, Record<string, unknown>]>([
    ['goal', asPlain(sampleGoal())],
    ['goal without plan', asPlain(sampleGoal({ plan: undefined, options: undefined }))],
    ['task', asPlain(sampleTask())],
    ['task with unknown extra fields', { ...asPlain(sampleTask()), addedLater: { x: [1] } }],
    ['succeeded result', asPlain(sampleSucceededResult())],
    ['succeeded result with null output', asPlain(sampleSucceededResult({ output: null }))],
    ['failed result', asPlain(sampleFailedResult())],
    ['succeeded result without cost', asPlain(sampleSucceededResult({ cost: undefined }))],
    ['failed result with cost 0', asPlain(sampleFailedResult({ cost: 0 }))],
    ['failed result with cost 12.5', asPlain(sampleFailedResult({ cost: 12.5 }))],
    ['result with cost at the limit', asPlain(sampleSucceededResult({ cost: 1e9 }))],
    ['control', asPlain(sampleControl())],
    ['control for a whole pool', asPlain(sampleControl({ goalId: '*' }))],
    ['event', asPlain(sampleEvent())],
    ['capabilities', asPlain(sampleCapabilities())],
    ['capabilities of a worker offering nothing', asPlain(sampleCapabilities({ tools: [] }))],
  ])('%s', (_name, plain) => {
    expect(validBySchema(plain.kind as SchemaName, plain)).toBe(true);
    expect(validBySchema('bus-message', plain)).toBe(true);
    expect(validByDecode(plain)).toBe(true);
  });

  it('agent-message takes the four agent kinds but not a goal event', () => {
    for (const message of [sampleGoal(), sampleTask(), sampleFailedResult(), sampleControl()]) {
      expect(validBySchema('agent-message', asPlain(message))).toBe(true);
    }
    expect(validBySchema('agent-message', asPlain(sampleEvent()))).toBe(false);
  });
});

describe('invalid messages fail both the schema and decode', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a succeeded result without output', broken(sampleSucceededResult(), (r) => delete r.output)],
    ['a failed result without error', broken(sampleFailedResult(), (r) => delete r.error)],
    ['a failed result with a bad error code', broken(sampleFailedResult(), (r) => (r.error.code = 'oops'))],
    ['a result with a negative cost', broken(sampleSucceededResult(), (r) => (r.cost = -1))],
    ['a failed result with a negative cost', broken(sampleFailedResult(), (r) => (r.cost = -0.5))],
    ['a result with a cost over the limit', broken(sampleSucceededResult(), (r) => (r.cost = 1e10))],
    ['a result with a cost of "NaN"', broken(sampleSucceededResult(), (r) => (r.cost = 'NaN'))],
    ['a result with a cost of "12.5"', broken(sampleFailedResult(), (r) => (r.cost = '12.5'))],
    ['a result with a cost of "x"', broken(sampleSucceededResult(), (r) => (r.cost = 'x'))],
    ['an unknown kind', broken(sampleTask(), (t) => (t.kind = 'job'))],
    ['schemaVersion 2', broken(sampleTask(), (t) => (t.schemaVersion = 2))],
    ['an id that is not a uuid', broken(sampleTask(), (t) => (t.id = 'not-a-uuid'))],
    ['a goal id with a dot', broken(sampleTask(), (t) => (t.goalId = 'goal.1'))],
    ['a creation time that is not a date', broken(sampleTask(), (t) => (t.createdAt = 'yesterday'))],
    ['attempt 0', broken(sampleTask(), (t) => (t.attempt = 0))],
    ['a fractional timeout', broken(sampleTask(), (t) => (t.timeoutMs = 1.5))],
    ['a tool name with capitals', broken(sampleTask(), (t) => (t.tool = 'CSV.parse'))],
    ['an input that is an array', broken(sampleTask(), (t) => (t.input = []))],
    ['no idempotency key', broken(sampleTask(), (t) => delete t.idempotencyKey)],
    ['a plan that is an array', broken(sampleGoal(), (g) => (g.plan = []))],
    ['a plan with no tasks', broken(sampleGoal(), (g) => (g.plan.tasks = []))],
    ['a plan task that is an array', broken(sampleGoal(), (g) => (g.plan.tasks = [[]]))],
    ['a plan task with a dotted dependency', broken(sampleGoal(), (g) => (g.plan.tasks[1].dependsOn = ['a.b']))],
    ['a priority of 10', broken(sampleGoal(), (g) => (g.options.priority = 10))],
    ['a goal text over the limit', broken(sampleGoal(), (g) => (g.goal = 'x'.repeat(20_001)))],
    ['a control target that is an array', broken(sampleControl(), (c) => (c.target = []))],
    ['a control signal that does not exist', broken(sampleControl(), (c) => (c.signal = 'reboot'))],
    ['an event of an unknown type', broken(sampleEvent(), (e) => (e.type = 'goal.exploded'))],
    ['capabilities for one goal', broken(sampleCapabilities(), (c) => (c.goalId = 'goal-1'))],
    ['capabilities with no ttl', broken(sampleCapabilities(), (c) => (c.ttlMs = 0))],
    ['capabilities with concurrency 0', broken(sampleCapabilities(), (c) => (c.concurrency = 0))],
    ['capabilities with a worker type in capitals', broken(sampleCapabilities(), (c) => (c.workerType = 'IO'))],
    ['capabilities with a tool name in capitals', broken(sampleCapabilities(), (c) => (c.tools[0].name = 'Math.Evaluate'))],
    ['capabilities with an empty tool description', broken(sampleCapabilities(), (c) => (c.tools[0].description = ''))],
    ['capabilities with an input schema that is an array', broken(sampleCapabilities(), (c) => (c.tools[0].inputSchema = []))],
    ['capabilities with no output schema', broken(sampleCapabilities(), (c) => delete c.tools[0].outputSchema)],
    ['capabilities whose tools are not an array', broken(sampleCapabilities(), (c) => (c.tools = {}))],
    ['capabilities with too many tools', broken(sampleCapabilities(), (c) => (c.tools = Array(257).fill(c.tools[0])))],
  ])('%s', (_name, plain) => {
    expect(validBySchema('bus-message', plain)).toBe(false);
    expect(validByDecode(plain)).toBe(false);
  });
});
