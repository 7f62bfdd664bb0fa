import { invalidInput } from '@agentos/worker-kit';
import { OpeningAndClosingTags, TemplateSpans, Writer } from 'mustache';

// Passed explicitly: the global `Mustache.tags` can be changed by any code in the process.
const DEFAULT_TAGS: OpeningAndClosingTags = ['{{', '}}'];

/** Tokens of a template, or `invalid_input` for an unterminated tag or section, or a partial. */
export function parseTemplate(writer: Writer, template: string): TemplateSpans {
  let tokens: TemplateSpans;
  try {
    tokens = writer.parse(template, DEFAULT_TAGS) as TemplateSpans;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at (\d+)$/.exec(message)?.[1];
    throw invalidInput(`template does not parse: ${message}`, position === undefined ? undefined : { position: Number(position) });
  }
  rejectPartials(tokens);
  return tokens;
}

function rejectPartials(tokens: TemplateSpans): void {
  for (const token of tokens) {
    const [type, name, start] = token;
    if (type === '>') throw invalidInput(`template uses the partial "${name}" at ${start}; partials are not supported`, { position: start });
    const children = token[4];
    if (Array.isArray(children)) rejectPartials(children);
  }
}
