import { AgentOsError } from '@agentos/runtime';

export const EMBEDDING_ERROR_CODES = [
  'embedding_rate_limited',
  'embedding_timeout',
  'embedding_unavailable',
  'embedding_request_invalid',
  'embedding_bad_output',
] as const;
export type EmbeddingErrorCode = (typeof EMBEDDING_ERROR_CODES)[number];

const RETRIABLE: Readonly<Record<EmbeddingErrorCode, boolean>> = {
  embedding_rate_limited: true,
  embedding_timeout: true,
  embedding_unavailable: true,
  // A wrong model name, key or input size: the same request fails the same way.
  embedding_request_invalid: false,
  // Vectors of the wrong length or none at all: a configuration mismatch, not a passing fault.
  embedding_bad_output: false,
};

/** What a caller may need to act on a failure; never holds the API key. */
export interface EmbeddingErrorDetails {
  /** HTTP status of the response, when there was one. */
  readonly status?: number;
  /** How long the server asked to wait before trying again. */
  readonly retryAfterMs?: number;
}

/** Every failure of an embeddings request; `code` and `retriable` tell the caller what it can do next. */
export class EmbeddingError extends AgentOsError {
  declare readonly code: EmbeddingErrorCode;

  constructor(
    code: EmbeddingErrorCode,
    message: string,
    readonly details: EmbeddingErrorDetails = {},
  ) {
    super(code, message, RETRIABLE[code], { ...details });
  }
}

export function isEmbeddingError(error: unknown): error is EmbeddingError {
  return error instanceof EmbeddingError;
}
