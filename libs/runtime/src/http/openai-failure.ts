import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { retryAfterMs } from './retry-after';

const MAX_SERVER_MESSAGE = 500;

/** What went wrong with a request to an OpenAI-compatible server, whatever it was for. */
export type OpenAiFailureKind = 'timeout' | 'unavailable' | 'rate_limited' | 'request_invalid';

export interface OpenAiFailure {
  readonly kind: OpenAiFailureKind;
  /** Safe to show: the key is redacted and the server's text bounded. */
  readonly message: string;
  readonly details: { readonly status?: number; readonly retryAfterMs?: number };
}

export interface OpenAiFailureContext {
  /** Whether the caller's own deadline aborted the request. */
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  readonly apiKey: string | undefined;
  /** How messages name the server, e.g. "the LLM server". */
  readonly server: string;
}

/** Removes the secret from text that came from elsewhere (a server may echo the key back) and bounds it. */
function redact(text: string, secret: string | undefined): string {
  const clean = secret ? text.split(secret).join('[redacted]') : text;
  return clean.length > MAX_SERVER_MESSAGE ? `${clean.slice(0, MAX_SERVER_MESSAGE)}...` : clean;
}

/**
 * Classifies a failed `openai` SDK request; undefined when the error is not a failure of the
 * request (the caller's own abort, a bug), which the caller rethrows as it is. The SDK's error
 * is not to be kept as a `cause`: its message and headers come from the server and may carry
 * the key.
 */
export function classifyOpenAiFailure(error: unknown, context: OpenAiFailureContext): OpenAiFailure | undefined {
  const { server } = context;
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return { kind: 'timeout', message: `${server} did not answer within ${context.timeoutMs} ms`, details: {} };
  }
  if (error instanceof APIUserAbortError) return undefined;
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { kind: 'unavailable', message: redact(`cannot reach ${server}${cause}`, context.apiKey), details: {} };
  }
  if (!(error instanceof APIError) || error.status === undefined) return undefined;
  const status = error.status;
  const said = redact(error.message, context.apiKey);
  const retryAfter = retryAfterMs(error.headers);
  if (status === 429) return { kind: 'rate_limited', message: `${server} is rate limiting: ${said}`, details: { status, retryAfterMs: retryAfter } };
  if (status === 408) return { kind: 'timeout', message: `${server} timed out the request: ${said}`, details: { status } };
  if (status >= 500) return { kind: 'unavailable', message: `${server} failed: ${said}`, details: { status, retryAfterMs: retryAfter } };
  return { kind: 'request_invalid', message: `${server} refused the request: ${said}`, details: { status } };
}
