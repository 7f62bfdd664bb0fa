import { ToolRegistry } from '@agentos/worker-kit';
import { TOOL_NAME_PATTERN } from '@agentos/contracts';
import {
  createLogicTools,
  CsvParseTool,
  DEFAULT_CSV_PARSE_OPTIONS,
  DEFAULT_JSONATA_OPTIONS,
  JsonataTool,
  MathEvaluateTool,
  TextTemplateTool,
} from './index';
import { runTool } from '@agentos/test-kit';

describe('createLogicTools', () => {
  it('offers the four logic tools under valid, distinct names, none with side effects', () => {
    const registry = new ToolRegistry(createLogicTools());
    expect(registry.names()).toEqual(['csv.parse', 'jsonata', 'math.evaluate', 'text.template']);
    for (const tool of registry.list()) {
      expect(tool.name).toMatch(TOOL_NAME_PATTERN);
      expect(tool.sideEffects).toBe(false);
    }
  });

  it('applies per-tool overrides over the defaults', async () => {
    const [jsonata, csv] = createLogicTools({ jsonata: { maxDepth: 10 }, csvParse: { maxRows: 1 } });
    await expect(runTool(jsonata, { expression: '($f := function($x){ 1 + $f($x) }; $f(1))', data: null })).rejects.toThrow(/depth limit of 10/);
    await expect(runTool(csv, { text: 'a\n1\n2\n' })).rejects.toThrow(/more than 1 rows/);
    expect(DEFAULT_JSONATA_OPTIONS.maxDepth).toBeGreaterThan(10);
    expect(DEFAULT_CSV_PARSE_OPTIONS.maxRows).toBe(100_000);
  });

  it('lets one tool’s output feed another: CSV rows aggregated by JSONata, reported by a template', async () => {
    const parsed = await runTool(new CsvParseTool(), { text: 'region,amount\nnorth,10\nsouth,5\nnorth,7.5\n' });
    const totals = await runTool(new JsonataTool(), { expression: '${ region: $sum(amount) }', data: parsed.rows });
    const share = await runTool(new MathEvaluateTool(), { expression: 'round(100 * north / (north + south))', scope: totals.result });
    const report = await runTool(new TextTemplateTool(), {
      template: 'north {{north}}, south {{south}} ({{share}}% north)',
      data: { ...(totals.result as object), share: share.value },
    });
    expect(report).toEqual({ text: 'north 17.5, south 5 (78% north)' });
  });
});
