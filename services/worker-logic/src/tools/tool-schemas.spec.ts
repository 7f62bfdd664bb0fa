import { ANY_GOAL, decode, dtoJsonSchema, encode, JSONSchema, newEnvelope, TopicRegistry } from '@agentos/contracts';
import { toolCapabilities } from '@agentos/worker-kit';
import { createLogicTools, MathEvaluateTool } from './index';

const property = (schema: JSONSchema, name: string) => (schema.properties as Record<string, JSONSchema>)[name];

describe('the logic tools as JSON Schema (what the worker announces to planners)', () => {
  const math = new MathEvaluateTool();

  it('describes math.evaluate input, its two custom scope rules included, with no unknown fields', () => {
    const schema = dtoJsonSchema(math.input, { unknownFields: 'reject' });
    expect(schema).toMatchObject({ title: 'MathEvaluateInput', type: 'object', required: ['expression'], additionalProperties: false });
    expect(property(schema, 'expression')).toEqual({ type: 'string', minLength: 1, maxLength: 2_000 });
    const scope = property(schema, 'scope');
    expect(scope).toEqual({ description: expect.stringContaining('at most 100 variables') });
    expect(scope.description).toContain('finite numbers, vectors or rectangular matrices');
  });

  it('describes math.evaluate output, whose value rule is custom too', () => {
    const schema = dtoJsonSchema(math.output);
    expect(property(schema, 'value')).toEqual({ description: 'Must be a finite number or a string.' });
    expect(property(schema, 'type')).toEqual({ type: 'string', minLength: 1, maxLength: 64 });
  });

  it('makes a valid capabilities announcement of every logic tool', () => {
    const tools = toolCapabilities(createLogicTools());
    expect(tools.map((tool) => tool.name).sort()).toEqual(['csv.parse', 'jsonata', 'math.evaluate', 'text.template']);
    const announcement = { ...newEnvelope('capabilities', { goalId: ANY_GOAL }), workerType: 'logic', workerId: 'logic-1', concurrency: 4, ttlMs: 30_000, tools };
    const topic = new TopicRegistry({ workerTypes: ['logic'] }).capabilities();
    expect(decode(topic, encode(announcement))).toEqual({ ok: true, message: announcement });
    for (const tool of tools) expect(JSON.stringify(tool.inputSchema)).not.toContain('Schema unavailable');
  });
});
