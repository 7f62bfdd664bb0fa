import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import { inspect } from 'node:util';

export const STRUCTURED_OUTPUT_MODES = ['json_schema', 'json_object', 'auto'] as const;
export type StructuredOutputMode = (typeof STRUCTURED_OUTPUT_MODES)[number];

/**
 * The planner's model, read from the environment (see .env.example). Any OpenAI-compatible
 * server works: OpenAI itself, vLLM, Ollama, LM Studio, llama.cpp. Without `LLM_MODEL` the
 * supervisor still starts, and goals need an explicit plan.
 */
export class LlmConfig {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama); unset means OpenAI (`https://api.openai.com/v1`). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  readonly LLM_BASE_URL?: string;

  /** Secret: from the environment only, never logged. Local servers usually need none. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4_096)
  readonly LLM_API_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  readonly LLM_MODEL?: string;

  /** Per request, until the whole answer has arrived. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  readonly LLM_TIMEOUT_MS: number = 60_000;

  /** Retries after the first request, for rate limits, 5xx, network errors and timeouts. */
  @IsInt()
  @Min(0)
  @Max(20)
  readonly LLM_MAX_RETRIES: number = 3;

  /**
   * How to ask for JSON: `json_schema` (the server enforces the schema), `json_object` (the
   * schema goes in the prompt), or `auto`: json_schema, falling back to json_object for good
   * once the server rejects it.
   */
  @IsIn(STRUCTURED_OUTPUT_MODES)
  readonly LLM_STRUCTURED_OUTPUT: StructuredOutputMode = 'auto';

  /** Keeps the key out of logs that serialise the config. */
  toJSON(): Record<string, unknown> {
    return {
      LLM_BASE_URL: this.LLM_BASE_URL,
      LLM_API_KEY: this.LLM_API_KEY === undefined ? undefined : '[redacted]',
      LLM_MODEL: this.LLM_MODEL,
      LLM_TIMEOUT_MS: this.LLM_TIMEOUT_MS,
      LLM_MAX_RETRIES: this.LLM_MAX_RETRIES,
      LLM_STRUCTURED_OUTPUT: this.LLM_STRUCTURED_OUTPUT,
    };
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}
