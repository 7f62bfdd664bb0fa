import { parseBooleanVariable } from '@agentos/runtime';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { inspect } from 'node:util';

/**
 * Which embedder memory uses, read from the environment (see .env.example). Without
 * `EMBEDDING_MODEL` goals are embedded locally (`local-hash-v1`, no network). With it, any
 * OpenAI-compatible `/embeddings` endpoint: by default the LLM's own server (`LLM_BASE_URL`, and
 * then `LLM_API_KEY`), else `EMBEDDING_BASE_URL`.
 */
export class EmbeddingConfig {
  /** e.g. `text-embedding-3-small` (OpenAI), `nomic-embed-text` (Ollama). Unset: the local embedder. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  readonly EMBEDDING_MODEL?: string;

  /** Length of the model's vectors (1536 for text-embedding-3-small, 768 for nomic-embed-text); required with EMBEDDING_MODEL. */
  @ValidateIf((config: EmbeddingConfig) => config.EMBEDDING_MODEL !== undefined || config.EMBEDDING_DIMENSIONS !== undefined)
  @IsInt({ message: 'EMBEDDING_DIMENSIONS must be the model\'s vector length (an integer) when EMBEDDING_MODEL is set' })
  @Min(1)
  @Max(65_536)
  readonly EMBEDDING_DIMENSIONS?: number;

  /** Unset: LLM_BASE_URL, else OpenAI (`https://api.openai.com/v1`). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  readonly EMBEDDING_BASE_URL?: string;

  /** Secret. Unset: LLM_API_KEY, but only when the embeddings go to the LLM's server. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4_096)
  readonly EMBEDDING_API_KEY?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  readonly LLM_BASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4_096)
  readonly LLM_API_KEY?: string;

  /** Per request, until the whole answer has arrived. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  readonly EMBEDDING_TIMEOUT_MS: number = 30_000;

  /** Texts per request. */
  @IsInt()
  @Min(1)
  @Max(2_048)
  readonly EMBEDDING_BATCH_SIZE: number = 128;

  /** Send `dimensions` with each request (OpenAI text-embedding-3-* can shorten their vectors). */
  @Transform(parseBooleanVariable)
  @IsBoolean()
  readonly EMBEDDING_SEND_DIMENSIONS: boolean = false;

  /** Keeps the keys out of logs that serialise the config. */
  toJSON(): Record<string, unknown> {
    return {
      EMBEDDING_MODEL: this.EMBEDDING_MODEL,
      EMBEDDING_DIMENSIONS: this.EMBEDDING_DIMENSIONS,
      EMBEDDING_BASE_URL: this.EMBEDDING_BASE_URL,
      EMBEDDING_API_KEY: this.EMBEDDING_API_KEY === undefined ? undefined : '[redacted]',
      LLM_BASE_URL: this.LLM_BASE_URL,
      LLM_API_KEY: this.LLM_API_KEY === undefined ? undefined : '[redacted]',
      EMBEDDING_TIMEOUT_MS: this.EMBEDDING_TIMEOUT_MS,
      EMBEDDING_BATCH_SIZE: this.EMBEDDING_BATCH_SIZE,
      EMBEDDING_SEND_DIMENSIONS: this.EMBEDDING_SEND_DIMENSIONS,
    };
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}
