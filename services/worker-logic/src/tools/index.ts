import { Tool } from '@agentos/worker-kit';
import { CsvParseTool, CsvParseToolOptions } from './csv/csv-parse.tool';
import { JsonataTool, JsonataToolOptions } from './jsonata/jsonata.tool';
import { MathEvaluateTool, MathEvaluateToolOptions } from './math/math-evaluate.tool';
import { TextTemplateTool, TextTemplateToolOptions } from './template/text-template.tool';

export { DEFAULT_MAX_OUTPUT_BYTES } from './shared/output-size';

export { JsonataTool, DEFAULT_JSONATA_OPTIONS } from './jsonata/jsonata.tool';
export type { JsonataToolOptions } from './jsonata/jsonata.tool';
export { JsonataInput, JsonataOutput } from './jsonata/jsonata.dto';

export { CsvParseTool, DEFAULT_CSV_PARSE_OPTIONS } from './csv/csv-parse.tool';
export type { CsvParseToolOptions } from './csv/csv-parse.tool';
export { csvParseInputDto, CsvParseOutput } from './csv/csv-parse.dto';
export type { CsvParseInput, CsvValue } from './csv/csv-parse.dto';

export { TextTemplateTool, DEFAULT_TEXT_TEMPLATE_OPTIONS } from './template/text-template.tool';
export type { TextTemplateToolOptions } from './template/text-template.tool';
export { TextTemplateInput, TextTemplateOutput } from './template/text-template.dto';
export type { TemplateEscape } from './template/text-template.dto';

export { MathEvaluateTool, DEFAULT_MATH_EVALUATE_OPTIONS } from './math/math-evaluate.tool';
export type { MathEvaluateToolOptions } from './math/math-evaluate.tool';
export { MathEvaluateInput, MathEvaluateOutput } from './math/math-evaluate.dto';

/** Per-tool overrides of the defaults above. */
export interface LogicToolsOptions {
  readonly jsonata?: Partial<JsonataToolOptions>;
  readonly csvParse?: Partial<CsvParseToolOptions>;
  readonly textTemplate?: Partial<TextTemplateToolOptions>;
  readonly mathEvaluate?: Partial<MathEvaluateToolOptions>;
}

/** Every tool of the logic worker, ready for a ToolRegistry. */
export function createLogicTools(options: LogicToolsOptions = {}): Tool[] {
  return [
    new JsonataTool(options.jsonata),
    new CsvParseTool(options.csvParse),
    new TextTemplateTool(options.textTemplate),
    new MathEvaluateTool(options.mathEvaluate),
  ];
}
