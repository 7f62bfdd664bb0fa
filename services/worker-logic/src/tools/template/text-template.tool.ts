import { DtoClass, Tool, ToolContext } from '@agentos/worker-kit';
import { throwIfAborted } from '../shared/abort';
import { assertOutputFits, DEFAULT_MAX_OUTPUT_BYTES } from '../shared/output-size';
import { BoundedWriter } from './bounded-writer';
import { OwnPropertyContext } from './own-property-context';
import { parseTemplate } from './parse-template';
import { RenderBudget } from './render-budget';
import { TextTemplateInput, TextTemplateOutput } from './text-template.dto';
import { VALUE_ESCAPES } from './value-escapes';

export interface TextTemplateToolOptions {
  /** Largest rendered text, as UTF-8 JSON. */
  readonly maxOutputBytes: number;
  /** Most tokens rendered, each section pass counted: bounds CPU for nested loops over long lists. */
  readonly maxRenderSteps: number;
}

export const DEFAULT_TEXT_TEMPLATE_OPTIONS: TextTemplateToolOptions = {
  maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
  maxRenderSteps: 1_000_000,
};

export class TextTemplateTool implements Tool<TextTemplateInput, TextTemplateOutput> {
  readonly name = 'text.template';
  readonly description =
    'Renders a logic-less Mustache template with JSON data. Values are not HTML-escaped unless escape is "html"; partials are not supported.';
  readonly input: DtoClass<TextTemplateInput> = TextTemplateInput;
  readonly output: DtoClass<TextTemplateOutput> = TextTemplateOutput;
  readonly sideEffects = false;
  private readonly options: TextTemplateToolOptions;

  constructor(options: Partial<TextTemplateToolOptions> = {}) {
    this.options = { ...DEFAULT_TEXT_TEMPLATE_OPTIONS, ...options };
  }

  async execute(input: TextTemplateInput, context: ToolContext): Promise<TextTemplateOutput> {
    throwIfAborted(context.signal, this.name);
    const budget = new RenderBudget({ maxRenderSteps: this.options.maxRenderSteps, maxOutputChars: this.options.maxOutputBytes });
    const writer = new BoundedWriter(budget);
    const tokens = parseTemplate(writer, input.template);
    const text = writer.renderTokens(tokens as unknown as string[][], new OwnPropertyContext(input.data), undefined, input.template, {
      escape: VALUE_ESCAPES[input.escape ?? 'none'],
    });
    assertOutputFits(text, this.options.maxOutputBytes, 'rendered text');
    return { text };
  }
}
