import { JsonValue, jsonDepthExceeds, LIMITS } from '@agentos/contracts';
import { logicError } from '@agentos/worker-kit';
import type { IncomingHttpHeaders } from 'node:http';
import { ResponseType } from './http-request.dto';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset="?([^";]+)"?/i;

/** The body as the caller asked for it: parsed JSON, or text in the response's charset. */
export function interpretBody(bytes: Buffer, contentType: string | undefined, requested: ResponseType | undefined): JsonValue {
  const text = decodeText(bytes, contentType);
  const asJson = requested === 'json' || (requested === undefined && contentType !== undefined && JSON_CONTENT_TYPE.test(contentType));
  if (!asJson) return text;
  if (text.trim() === '') return null;
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch {
    if (requested === 'json') throw logicError('response body is not valid JSON', { contentType: contentType ?? null });
    return text;
  }
  if (jsonDepthExceeds(parsed, LIMITS.maxJsonDepth)) {
    throw logicError(`response JSON nests deeper than ${LIMITS.maxJsonDepth} levels`, { maxDepth: LIMITS.maxJsonDepth });
  }
  return parsed;
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = contentType && CHARSET.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Node's headers as a flat string record: lowercase names, repeated values joined with ", ". */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
