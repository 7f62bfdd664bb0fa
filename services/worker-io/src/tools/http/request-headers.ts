import { invalidInput } from '@agentos/worker-kit';
import { HttpMethod } from './http-request.dto';

const SET_BY_THE_TOOL: Readonly<Record<string, string>> = {
  host: 'the Host header comes from the URL',
  'content-length': 'Content-Length is computed from the body',
  'idempotency-key': "Idempotency-Key is set from the task's idempotency key",
};

// Hop-by-hop headers (RFC 9110 7.6.1) describe one connection, which the tool owns.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** Refuses headers the caller may not set, and names given twice in different case. */
export function checkCallerHeaders(headers: Readonly<Record<string, string>>): void {
  const seen = new Set<string>();
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    const setByTool = SET_BY_THE_TOOL[lower];
    if (setByTool) throw invalidInput(`header ${name} is not allowed: ${setByTool}`);
    if (HOP_BY_HOP.has(lower)) throw invalidInput(`header ${name} is not allowed: it is a hop-by-hop header`);
    if (seen.has(lower)) throw invalidInput(`header ${name} is given twice (header names are case-insensitive)`);
    seen.add(lower);
  }
}

export function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** True for methods that may change something, which therefore carry the idempotency key. */
export function isUnsafeMethod(method: HttpMethod): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** The headers one hop sends: the caller's, plus what the tool owns. */
export function hopHeaders(
  callerHeaders: Readonly<Record<string, string>>,
  method: HttpMethod,
  body: Buffer | undefined,
  idempotencyKey: string,
): Record<string, string> {
  return {
    ...callerHeaders,
    ...(body !== undefined ? { 'Content-Length': String(body.length) } : {}),
    ...(isUnsafeMethod(method) ? { 'Idempotency-Key': idempotencyKey } : {}),
  };
}
