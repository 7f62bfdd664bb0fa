import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { retryAfterMs } from '@agentos/runtime';
import { EmbeddingError } from './embedding-error';

const MAX_SERVER_MESSAGE = 500;

/** Removes the secret from text that came from elsewhere (a server may echo the key back) and bounds it. */
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
 * What a failed embeddings request means, as an `EmbeddingError`; anything that is not a failure
 * of the request (a bug) is returned unchanged, to be rethrown. Mirrors the supervisor's LLM
 * classification. The SDK's error is not kept as `cause`: its message and headers come from the
 * server and may carry the key.
 */
export function classifyEmbeddingFailure(error: unknown, context: FailureContext): unknown {
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return new EmbeddingError('embedding_timeout', `the embeddings server did not answer within ${context.timeoutMs} ms`);
  }
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new EmbeddingError('embedding_unavailable', redact(`cannot reach the embeddings server${cause}`, context.apiKey));
  }
  if (!(error instanceof APIError) || error.status === undefined) return error;
  const status = error.status;
  const server = redact(error.message, context.apiKey);
  const retryAfter = retryAfterMs(error.headers);
  if (status === 429) return new EmbeddingError('embedding_rate_limited', `the embeddings server is rate limiting: ${server}`, { status, retryAfterMs: retryAfter });
  if (status === 408) return new EmbeddingError('embedding_timeout', `the embeddings server timed out the request: ${server}`, { status });
  if (status >= 500) return new EmbeddingError('embedding_unavailable', `the embeddings server failed: ${server}`, { status, retryAfterMs: retryAfter });
  return new EmbeddingError('embedding_request_invalid', `the embeddings server refused the request: ${server}`, { status });
}
