import { ANY_GOAL, decode, dtoJsonSchema, encode, JSONSchema, newEnvelope, TopicRegistry } from '@agentos/contracts';
import { toolCapabilities } from '@agentos/worker-kit';
import { tmpdir } from 'node:os';
import { FsReadTool } from './fs/fs-read.tool';
import { FsWriteTool } from './fs/fs-write.tool';
import { HttpRequestTool } from './http/http-request.tool';

const property = (schema: JSONSchema, name: string) => (schema.properties as Record<string, JSONSchema>)[name];
const http = new HttpRequestTool({ maxTimeoutMs: 15_000, maxResponseBytes: 2_000_000 });

describe('the io tools as JSON Schema (what the worker announces to planners)', () => {
  it('describes http.request input with the instance limits, its custom header rule and no unknown fields', () => {
    const schema = dtoJsonSchema(http.input, { unknownFields: 'reject' });
    expect(schema).toMatchObject({ type: 'object', required: ['url'], additionalProperties: false });
    expect(property(schema, 'method')).toEqual({ type: 'string', enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] });
    expect(property(schema, 'timeoutMs')).toEqual({ type: 'integer', minimum: 1, maximum: 15_000 });
    expect(property(schema, 'maxResponseBytes')).toMatchObject({ maximum: 2_000_000 });
    expect(property(schema, 'headers')).toEqual({ description: expect.stringMatching(/^Must be an object of at most 64 headers/) });
    expect(property(schema, 'json')).toMatchObject({ type: 'object', description: expect.stringContaining('64 levels') });
  });

  it('describes http.request output', () => {
    const schema = dtoJsonSchema(http.output);
    expect(schema.required).toEqual(['status', 'headers', 'body', 'bytes']);
    expect(property(schema, 'status')).toEqual({ type: 'integer', minimum: 100, maximum: 599 });
  });

  it('makes a valid capabilities announcement of every io tool', () => {
    const root = tmpdir();
    const tools = toolCapabilities([new FsReadTool({ root, maxReadBytes: 1_000 }), new FsWriteTool({ root, maxWriteBytes: 1_000 }), http]);
    const announcement = { ...newEnvelope('capabilities', { goalId: ANY_GOAL }), workerType: 'io', workerId: 'io-1', concurrency: 4, ttlMs: 30_000, tools };
    const topic = new TopicRegistry({ workerTypes: ['io'] }).capabilities();
    expect(decode(topic, encode(announcement))).toEqual({ ok: true, message: announcement });
    for (const tool of tools) expect(JSON.stringify(tool.inputSchema)).not.toContain('Schema unavailable');
  });
});
