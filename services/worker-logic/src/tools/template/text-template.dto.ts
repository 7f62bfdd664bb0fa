import { IsBoundedJson, JsonObject } from '@agentos/contracts';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const MAX_TEMPLATE_LENGTH = 100_000;
export const TEMPLATE_ESCAPES = ['none', 'html'] as const;
export type TemplateEscape = (typeof TEMPLATE_ESCAPES)[number];

export class TextTemplateInput {
  /** Mustache syntax: `{{name}}`, `{{#list}}..{{/list}}`, `{{^empty}}..{{/empty}}`; no partials. */
  @IsString()
  @Length(1, MAX_TEMPLATE_LENGTH)
  readonly template!: string;

  @IsBoundedJson({ objectOnly: true })
  readonly data!: JsonObject;

  /** How `{{name}}` values are escaped (default `none`: plain text; `{{{name}}}` is never escaped). */
  @IsOptional()
  @IsIn(TEMPLATE_ESCAPES)
  readonly escape?: TemplateEscape;
}

export class TextTemplateOutput {
  @IsString()
  readonly text!: string;
}
