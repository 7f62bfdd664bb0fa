import { IsOptional, IsString } from 'class-validator';
import { Tool } from './tool';
import { ToolRegistry } from './tool-registry';

class Anything {
  @IsOptional()
  @IsString()
  readonly note?: string;
}

function tool(name: string): Tool<Anything, Anything> {
  return { name, description: `test tool ${name}`, input: Anything, output: Anything, sideEffects: false, execute: async () => ({}) };
}

describe('ToolRegistry', () => {
  it('finds tools by name and answers undefined for unknown names', () => {
    const read = tool('fs.read');
    const registry = new ToolRegistry([read, tool('noop')]);
    expect(registry.get('fs.read')).toBe(read);
    expect(registry.get('fs.write')).toBeUndefined();
    expect(registry.get('')).toBeUndefined();
  });

  it('is empty by default and accepts tools registered later', () => {
    const registry = new ToolRegistry();
    expect(registry.names()).toEqual([]);
    registry.register(tool('noop'));
    expect(registry.names()).toEqual(['noop']);
  });

  it('lists names and tools sorted by name, whatever the registration order', () => {
    const registry = new ToolRegistry([tool('text.template'), tool('csv.parse'), tool('noop'), tool('jsonata')]);
    expect(registry.names()).toEqual(['csv.parse', 'jsonata', 'noop', 'text.template']);
    expect(registry.list().map((entry) => entry.name)).toEqual(['csv.parse', 'jsonata', 'noop', 'text.template']);
  });

  it.each([
    ['in the constructor', (): unknown => new ToolRegistry([tool('noop'), tool('fs.read'), tool('noop')])],
    ['on a later register', (): void => new ToolRegistry([tool('noop')]).register(tool('noop'))],
  ])('rejects a name registered twice %s', (_name, build) => {
    expect(build).toThrow('tool "noop" is registered twice');
  });

  it('keeps the first tool when a duplicate is rejected', () => {
    const first = tool('noop');
    const registry = new ToolRegistry([first]);
    expect(() => registry.register(tool('noop'))).toThrow();
    expect(registry.get('noop')).toBe(first);
    expect(registry.names()).toEqual(['noop']);
  });
});
