import { LIMITS } from '@agentos/contracts';
import { IsString, ValidateNested } from 'class-validator';
import { NoopTool } from '../noop/noop.tool';
import { Tool } from '../tools/tool';
import { toolCapabilities } from './tool-capabilities';

class Inner {
  @IsString()
  readonly text!: string;
}

/** `@ValidateNested` without `@Type`: the schema generator cannot know the nested class. */
class BrokenInput {
  @ValidateNested()
  readonly inner!: Inner;
}

function toolWith(overrides: Partial<Tool>): Tool {
  const noop = new NoopTool();
  return { name: noop.name, description: noop.description, input: noop.input, output: noop.output, sideEffects: false, execute: noop.execute.bind(noop), ...overrides };
}

describe('toolCapabilities', () => {
  it('gives a permissive, explained schema for a DTO the generator cannot describe', () => {
    const [capability] = toolCapabilities([toolWith({ name: 'broken', input: BrokenInput })]);
    expect(capability!.inputSchema).toEqual({ type: 'object', description: expect.stringContaining('Schema unavailable') });
    expect(capability!.outputSchema).toMatchObject({ type: 'object', properties: { echo: expect.any(Object) } });
  });

  it('bounds descriptions and fills in an empty one', () => {
    const [long, empty] = toolCapabilities([toolWith({ description: 'x'.repeat(5_000) }), toolWith({ name: 'quiet', description: '  ' })]);
    expect(long!.description).toHaveLength(LIMITS.maxToolDescriptionLength);
    expect(empty!.description).toBe('The quiet tool.');
  });

  it('refuses more tools than an announcement may carry', () => {
    const tools = Array.from({ length: LIMITS.maxToolsPerWorker + 1 }, (_, i) => toolWith({ name: `t${i}` }));
    expect(() => toolCapabilities(tools)).toThrow(/at most 256 tools/);
  });
});
