import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { LlmError } from './llm-error';
import { retryAfterMs } from '@agentos/runtime';

const MAX_SERVER_MESSAGE = 500;

/** Removes the secret from text that came from elsewhere (a server may echo the key back). */
export function redact(text: string, secret: string | undefined): string {
  const clean = secret ? text.split(secret).join('[redacted]') : text;
  return clean.length > MAX_SERVER_MESSAGE ? `${clean.slice(0, MAX_SERVER_MESSAGE)}...` : clean;
}

export interface FailureContext {
  /** Whether this client's own deadline aborted the request. */
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  readonly apiKey: string | undefined;
}

/**
 * What a failed request means, as an `LlmError`; anything that is not a failure of the request
 * (a bug) is returned unchanged, to be rethrown. The SDK's error is not kept as `cause`: its
 * message and headers come from the server and may carry the key.
 */
export function classifyFailure(error: unknown, context: FailureContext): unknown {
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return new LlmError('llm_timeout', `the LLM server did not answer within ${context.timeoutMs} ms`);
  }
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new LlmError('llm_unavailable', redact(`cannot reach the LLM server${cause}`, context.apiKey));
  }
  if (!(error instanceof APIError) || error.status === undefined) return error;
  const status = error.status;
  const server = redact(error.message, context.apiKey);
  const retryAfter = retryAfterMs(error.headers);
  if (status === 429) return new LlmError('llm_rate_limited', `the LLM server is rate limiting: ${server}`, { status, retryAfterMs: retryAfter });
  if (status === 408) return new LlmError('llm_timeout', `the LLM server timed out the request: ${server}`, { status });
  if (status >= 500) return new LlmError('llm_unavailable', `the LLM server failed: ${server}`, { status, retryAfterMs: retryAfter });
  return new LlmError('llm_request_invalid', `the LLM server refused the request: ${server}`, { status });
}
