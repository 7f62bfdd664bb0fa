import { compareWithClassValidator } from '@agentos/test-kit';
import { Tool } from '@agentos/worker-kit';
import { createLogicTools } from './index';

// The executor validates every task input with the compiled validator and asks
// class-validator only to explain a rejection: both must reach the same verdict on these DTOs.
const SAMPLES: Record<string, unknown[]> = {
  jsonata: [{ expression: '$sum(rows.amount)', data: { rows: [{ amount: 1 }] } }, { expression: '$x + 1', data: null, bindings: { x: 41 } }],
  'csv.parse': [{ text: 'a,b\n1,2\n' }, { text: 'a;b\n1;2', delimiter: ';', header: false, cast: false, skipEmptyLines: false, trim: false }],
  'text.template': [{ template: 'Hello {{name}}', data: { name: 'x' } }, { template: '{{#rows}}{{.}}{{/rows}}', data: { rows: [1] }, escape: 'html' }],
  'math.evaluate': [{ expression: '1 + 2' }, { expression: 'a * b', scope: { a: 2, b: [1, 2] } }],
};

describe('logic tool inputs: compiled validation agrees with class-validator', () => {
  const tools: Tool[] = createLogicTools();
  it('covers every logic tool', () => expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(SAMPLES).sort()));

  it.each(tools.map((tool) => [tool.name, tool] as const))('%s', (name, tool) => {
    const samples = SAMPLES[name]!;
    const report = compareWithClassValidator(tool.input, samples, { rounds: 3_000, seed: 0x20, strict: true });
    expect(report.rejected).toBeGreaterThan(500);
    expect(report.rejected).toBeLessThan(3_000 - samples.length);
  });
});
