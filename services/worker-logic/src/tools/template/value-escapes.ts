import { TemplateEscape } from './text-template.dto';

// The same characters mustache escapes by default. Kept here rather than read from the
// global `Mustache.escape`, which any other code in the process could have replaced.
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '/': '&#x2F;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`=/]/g, (character) => HTML_ENTITIES[character] ?? character);
}

/** The escape function handed to mustache per render, never installed globally. */
export const VALUE_ESCAPES: Readonly<Record<TemplateEscape, (value: unknown) => string>> = {
  none: (value) => String(value),
  html: escapeHtml,
};
