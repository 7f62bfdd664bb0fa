import { AgentOsError } from '@agentos/runtime';

export const LLM_ERROR_CODES = [
  'llm_not_configured',
  'llm_rate_limited',
  'llm_timeout',
  'llm_unavailable',
  'llm_bad_output',
  'llm_refused',
  'llm_request_invalid',
] as const;
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[number];

const RETRIABLE: Readonly<Record<LlmErrorCode, boolean>> = {
  llm_not_configured: false,
  llm_rate_limited: true,
  llm_timeout: true,
  llm_unavailable: true,
  // The same prompt may well give the same output; the caller repairs with the errors instead.
  llm_bad_output: false,
  llm_refused: false,
  llm_request_invalid: false,
};

/** What the caller may need to act on a failure; never holds the API key. */
export interface LlmErrorDetails {
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;
  /** How long the server asked to wait before trying again. */
  readonly retryAfterMs?: number;
  /** Requests sent for this call, fallbacks and retries included. */
  readonly attempts?: number;
  /** Why the output was rejected (`llm_bad_output`): send these back to repair it. */
  readonly errors?: readonly string[];
  /** The model's output (`llm_bad_output`, `llm_refused`), truncated. */
  readonly content?: string;
}

/** Every failure of an `LlmClient`; `code` tells the caller what it can do next. */
export class LlmError extends AgentOsError {
  declare readonly code: LlmErrorCode;

  constructor(
    code: LlmErrorCode,
    message: string,
    readonly details: LlmErrorDetails = {},
  ) {
    super(code, message, RETRIABLE[code], { ...details });
  }

  /** The same failure, told how many requests it took. */
  withAttempts(attempts: number): LlmError {
    return new LlmError(this.code, this.message, { ...this.details, attempts });
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}
