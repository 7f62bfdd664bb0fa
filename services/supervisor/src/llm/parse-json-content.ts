import { ParseResult } from './llm-client';

const FENCED = /^```(?:json|JSON)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** The model's message as JSON; a Markdown code fence around it, which many models add, is removed. */
export function parseJsonContent(content: string): ParseResult<unknown> {
  const trimmed = content.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  if (body.length === 0) return { ok: false, errors: ['the answer is empty; expected one JSON value'] };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, errors: [`the answer is not valid JSON: ${(error as Error).message}`] };
  }
}
