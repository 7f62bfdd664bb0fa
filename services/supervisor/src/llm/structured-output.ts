import { JsonSchema, LlmMessage, StructuredRequest } from './llm-client';

/** The two ways of asking an OpenAI-compatible server for JSON. */
export type JsonMode = 'json_schema' | 'json_object';

export type ResponseFormat =
  | { type: 'json_schema'; json_schema: { name: string; schema: JsonSchema; strict: false } }
  | { type: 'json_object' };

export interface StructuredPrompt {
  readonly messages: LlmMessage[];
  readonly responseFormat: ResponseFormat;
}

function schemaInstruction(request: StructuredRequest<unknown>): LlmMessage {
  return {
    role: 'system',
    content:
      `Reply with one JSON value only, no prose and no code fence. It must conform to this JSON Schema ` +
      `(named ${request.schemaName}):\n${JSON.stringify(request.schema)}`,
  };
}

/**
 * The messages and `response_format` for a mode. In json_object mode the server knows only that
 * the answer is JSON, so the schema goes into the prompt, after the caller's system messages.
 */
export function structuredPrompt(request: StructuredRequest<unknown>, mode: JsonMode): StructuredPrompt {
  if (mode === 'json_schema') {
    return {
      messages: [...request.messages],
      // strict: false because strict mode accepts only a subset of JSON Schema; `parse` is the real check.
      responseFormat: { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.schema, strict: false } },
    };
  }
  const firstNonSystem = request.messages.findIndex((message) => message.role !== 'system');
  const at = firstNonSystem === -1 ? request.messages.length : firstNonSystem;
  return {
    messages: [...request.messages.slice(0, at), schemaInstruction(request), ...request.messages.slice(at)],
    responseFormat: { type: 'json_object' },
  };
}

/** A 400 saying the server does not do `json_schema` (wording varies by server, so match loosely). */
export function rejectsJsonSchema(status: number | undefined, message: string): boolean {
  return status === 400 && /response_format|json_schema/i.test(message);
}
