import * as fs from 'node:fs';
import * as path from 'node:path';
import { isJsonObject, JsonValue } from '../json/json-value';
import { LIMITS } from '../limits';
import { REGENERATE_COMMAND, renderJsonSchemaFiles, SCHEMAS_DIR } from './json-schema-files';
import { buildJsonSchemas, JSONSchema } from './json-schemas';

const expectedFiles = renderJsonSchemaFiles();
const committedFiles = fs.existsSync(SCHEMAS_DIR) ? fs.readdirSync(SCHEMAS_DIR) : [];
const shown = (name: string) => path.join('libs/contracts/schemas', name);

describe('committed JSON Schemas (libs/contracts/schemas)', () => {
  it.each([...expectedFiles.keys()])('%s matches the DTOs', (name) => {
    const file = path.join(SCHEMAS_DIR, name);
    if (!fs.existsSync(file)) {
      throw new Error(`${shown(name)} is missing. Regenerate the schemas: ${REGENERATE_COMMAND}`);
    }
    if (fs.readFileSync(file, 'utf8') !== expectedFiles.get(name)) {
      throw new Error(`${shown(name)} differs from what the DTOs generate (stale or edited by hand). Regenerate the schemas: ${REGENERATE_COMMAND}`);
    }
  });

  it('holds no file the generator does not produce', () => {
    const extra = committedFiles.filter((name) => !expectedFiles.has(name));
    if (extra.length > 0) {
      throw new Error(
        `${extra.map(shown).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not generated from the DTOs. ` +
          `The directory holds generated schemas only: delete ${extra.length === 1 ? 'it' : 'them'}, or regenerate: ${REGENERATE_COMMAND}`,
      );
    }
  });

  it('renders pretty-printed JSON with a trailing newline', () => {
    for (const content of expectedFiles.values()) {
      expect(content.endsWith('}\n')).toBe(true);
      expect(content).toBe(`${JSON.stringify(JSON.parse(content), null, 2)}\n`);
    }
  });
});

/** Every object node of a schema, with its JSON pointer-ish location. */
function objectNodes(value: JsonValue, at = '#', into: Array<[string, JSONSchema]> = []): Array<[string, JSONSchema]> {
  if (Array.isArray(value)) value.forEach((item, index) => objectNodes(item, `${at}/${index}`, into));
  else if (isJsonObject(value)) {
    into.push([at, value]);
    for (const [key, child] of Object.entries(value)) objectNodes(child, `${at}/${key}`, into);
  }
  return into;
}

describe('buildJsonSchemas', () => {
  const schemas = buildJsonSchemas();
  const property = (schema: JSONSchema, name: string) => (schema.properties as Record<string, JSONSchema>)[name];

  it('has a draft-07 schema with an $id and a title per message kind and per union', () => {
    expect(Object.keys(schemas).sort()).toEqual(['agent-message', 'bus-message', 'capabilities', 'control', 'event', 'goal', 'result', 'run', 'task']);
    for (const [name, schema] of Object.entries(schemas)) {
      expect(schema).toMatchObject({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: `https://agentos.dev/schemas/v1/${name}.schema.json`,
        title: expect.stringMatching(/^[A-Z][A-Za-z]+$/),
        description: expect.any(String),
      });
    }
  });

  it('lets every object carry unknown fields', () => {
    for (const schema of Object.values(schemas)) {
      for (const [at, node] of objectNodes(schema)) {
        if (node.type === 'object') expect([at, node.additionalProperties]).toEqual([at, true]);
      }
    }
  });

  it('leaves no keyword beside a $ref (draft-07 would ignore it)', () => {
    for (const schema of Object.values(schemas)) {
      for (const [at, node] of objectNodes(schema)) {
        if ('$ref' in node) expect([at, Object.keys(node)]).toEqual([at, ['$ref']]);
      }
    }
  });

  it('resolves every local $ref to a definition of the same file', () => {
    for (const schema of Object.values(schemas)) {
      const definitions = isJsonObject(schema.definitions) ? schema.definitions : {};
      for (const [, node] of objectNodes(schema)) {
        if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
          expect(Object.keys(definitions)).toContain(node.$ref.replace('#/definitions/', ''));
        }
      }
    }
  });

  it('carries the limits over', () => {
    const { goal, task, result, control } = schemas;
    const definitions = goal.definitions as Record<string, JSONSchema>;
    expect(property(task, 'attempt')).toEqual({ type: 'integer', minimum: 1, maximum: LIMITS.maxAttempts });
    expect(property(task, 'timeoutMs')).toMatchObject({ maximum: LIMITS.maxTaskTimeoutMs });
    expect(property(task, 'workerType')).toEqual({ type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' });
    expect(property(task, 'idempotencyKey')).toEqual({ type: 'string', minLength: 1, maxLength: 512 });
    expect(property(goal, 'goal')).toMatchObject({ minLength: 1, maxLength: LIMITS.maxGoalTextLength });
    expect(property(definitions.TaskGraph, 'tasks')).toEqual({
      type: 'array',
      items: { $ref: '#/definitions/TaskNode' },
      minItems: 1,
      maxItems: LIMITS.maxTasksPerGraph,
    });
    expect(property(definitions.TaskNode, 'dependsOn')).toMatchObject({ maxItems: LIMITS.maxDependenciesPerTask, items: { pattern: expect.any(String) } });
    expect(property(definitions.GoalOptions, 'priority')).toMatchObject({ minimum: 0, maximum: 9 });
    const resultDefinitions = result.definitions as Record<string, JSONSchema>;
    expect(property(resultDefinitions.TaskError, 'message')).toMatchObject({ maxLength: LIMITS.maxErrorMessageLength });
    expect(property(control, 'goalId')).toMatchObject({ pattern: expect.stringContaining('\\*') });
    const capabilities = schemas.capabilities;
    expect(property(capabilities, 'goalId')).toEqual({ type: 'string', enum: ['*'] });
    expect(property(capabilities, 'tools')).toMatchObject({ maxItems: LIMITS.maxToolsPerWorker });
    const toolDefinition = (capabilities.definitions as Record<string, JSONSchema>).ToolCapability;
    expect(property(toolDefinition, 'description')).toMatchObject({ maxLength: LIMITS.maxToolDescriptionLength });
    expect(property(toolDefinition, 'inputSchema')).toMatchObject({ type: 'object', description: expect.stringContaining('64 levels') });
  });

  it('describes bounded JSON payloads with their depth limit', () => {
    expect(property(schemas.task, 'input')).toMatchObject({ type: 'object', description: expect.stringContaining('64 levels') });
    expect(property(schemas.result, 'output')).toEqual({ description: expect.stringContaining('Any JSON value, nested at most 64') });
  });

  it('describes the optional cost of a result with its range', () => {
    expect(property(schemas.result, 'cost')).toEqual({ type: 'number', minimum: 0, maximum: LIMITS.maxResultCost });
    expect(schemas.result.required).not.toContain('cost');
  });

  it('lists every goal event type, memory.decision included', () => {
    expect(property(schemas.event, 'type')).toMatchObject({ enum: expect.arrayContaining(['goal.restored', 'memory.decision', 'goal.succeeded']) });
  });

  it('requires output on success and error on failure', () => {
    expect(schemas.result.required).not.toContain('output');
    expect(schemas.result.required).not.toContain('error');
    expect(schemas.result.allOf).toEqual([
      { if: { properties: { status: { const: 'succeeded' } }, required: ['status'] }, then: { required: ['output'] } },
      { if: { properties: { status: { const: 'failed' } }, required: ['status'] }, then: { required: ['error'] } },
    ]);
  });

  it('puts the envelope first in every message schema', () => {
    for (const kind of ['goal', 'task', 'result', 'control', 'event', 'capabilities'] as const) {
      expect(Object.keys(schemas[kind].properties as object).slice(0, 7)).toEqual([
        'schemaVersion',
        'id',
        'kind',
        'goalId',
        'correlationId',
        'causationId',
        'createdAt',
      ]);
    }
  });

  it('unions the message schemas by kind', () => {
    expect(schemas['agent-message'].oneOf).toEqual(['goal', 'task', 'result', 'control'].map((kind) => ({ $ref: `${kind}.schema.json` })));
    expect(property(schemas['bus-message'], 'kind')).toEqual({ type: 'string', enum: ['goal', 'task', 'result', 'control', 'event', 'capabilities', 'run'] });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildJsonSchemas())).toBe(JSON.stringify(schemas));
  });
});
